"""Real queries with their answers, drawn from the cards themselves with a fixed seed.

- a whole query: the 1–3 rarest words of a card's title (in the title's order), as
  someone who knows what they want types it ("asyncio gather", "csrf cookie path");
- the same query as typed so far: the last word cut to about 60 % ("asyncio gat");
- an email: one or two paragraphs of a card's prose, as a customer would paste them into
  a message, with a greeting, a question and a signature.

Each one's answer is the card it was drawn from, for recall@10 as a sanity check."""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import dataclass

from benchmark.sections import Card

WORD = re.compile(r"[a-z][a-z0-9]+")
STOPWORDS = frozenset("""a about above after again against all also an and any are as at be because been before being
below between both but by can could did do does doing down during each either else for from further had has have
having here how however if in into is it its itself just may might more most must no nor not now of off on once only
or other our out over own same shall should so some such than that the their them then there these they this those
through to too under until up very was we were what when where which while who whom why will with within without
would yes you your new use used using see note example examples""".split())
SEED = 11
GREETINGS = ("Hi,", "Hello,", "Hi there,", "Dear support team,", "Good morning,")
OPENERS = ("We are stuck on something and could use a hand.", "A question from our engineering team.",
           "I read your documentation but I am still not sure about this.", "Following up on our call yesterday.")
ASKS = ("Could you confirm this is how it works, and what we should do next?",
        "Is that right, or are we missing something?", "Can you point me to the right setting or card for this?",
        "What would you recommend in our case?")
SIGNATURES = ("Thanks,\nMaria Santos\nOperations lead, Northwind Traders\n+1 555 0100",
              "Best regards,\nJonas Berg\nPlatform team\nSent from my phone",
              "Cheers,\nPriya\n--\nPriya Natarajan | Senior Engineer | Contoso Ltd",
              "Kind regards,\nTomás Álvarez\nIT department")


@dataclass(frozen=True)
class Query:
    text: str
    typed: bool    # True: typed so far (the last word is a prefix)
    answer: str    # the slug of the card it should find


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    answer: str


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def document_frequency(cards: list[Card]) -> Counter:
    frequency: Counter = Counter()
    for card in cards:
        frequency.update(set(words(card.title + " " + card.body)))
    return frequency


def _title_words(card: Card) -> list[str]:
    seen: list[str] = []
    for word in words(card.title):
        if word not in STOPWORDS and len(word) > 2 and not word.isdigit() and word not in seen:
            seen.append(word)
    return seen


def query_pairs(cards: list[Card], frequency: Counter, count: int) -> list[tuple[Query, Query]]:
    """(whole, typed) queries for `count` cards whose titles have a word to search by."""
    rng = random.Random(SEED)
    pairs = []
    for card in rng.sample(cards, len(cards)):
        title = _title_words(card)
        if not title:
            continue
        chosen = set(sorted(title, key=lambda w: (frequency[w], w))[:rng.choice((1, 2, 2, 3))])
        picked = [w for w in title if w in chosen]
        last = picked[-1]
        if len(last) < 4:
            continue  # typed so far must differ from the whole query (a cache would serve it twice)
        cut = min(len(last) - 1, max(3, math.ceil(len(last) * 0.6)))
        whole = " ".join(picked)
        pairs.append((Query(whole, False, card.slug), Query(whole[:len(whole) - len(last) + cut], True, card.slug)))
        if len(pairs) == count:
            break
    return pairs


def _paragraphs(card: Card) -> list[str]:
    return [p for p in card.body.split("\n\n") if not p.startswith("```") and len(p.split()) >= 8]


def _email_text(rng: random.Random, paragraphs: list[str]) -> str:
    said = " ".join(paragraphs[:rng.choice((1, 2))]).split()[:150]
    body = " ".join(said).lstrip("- ")
    return "\n\n".join((rng.choice(GREETINGS), rng.choice(OPENERS) + " " + body, rng.choice(ASKS),
                        rng.choice(SIGNATURES)))


def emails(cards: list[Card], count: int) -> list[Email]:
    """`count` emails, each quoting one or two paragraphs of a card's prose."""
    rng = random.Random(SEED + 1)
    made = []
    for card in rng.sample(cards, len(cards)):
        paragraphs = _paragraphs(card)
        if sum(len(p.split()) for p in paragraphs[:2]) < 30:
            continue
        made.append(Email(f"Question about {card.lead}", _email_text(rng, paragraphs), card.slug))
        if len(made) == count:
            break
    return made


def rarest(text: str, frequency: Counter, count: int = 12) -> list[str]:
    """The email's `count` rarest words that the cards hold (the reference engines' short query)."""
    known = {w for w in words(text) if frequency[w]}
    return sorted(known, key=lambda w: (frequency[w], w))[:count]


def keystrokes(queries: list[Query], shortest: int = 3) -> list[Query]:
    """Every state of typing each query, from `shortest` characters on, each text once:
    what a search box sends as someone types (the stream for requests per second)."""
    seen, typed = set(), []
    for query in queries:
        for end in range(shortest, len(query.text) + 1):
            text = query.text[:end]
            if not text.endswith(" ") and text not in seen:
                seen.add(text)
                typed.append(Query(text, True, query.answer))
    return typed


@dataclass(frozen=True)
class Workload:
    """What one size is asked. No text is asked twice where a cache could answer it: the
    warm-up has its own queries and emails, and the agent and the admin get different emails."""

    whole: list[Query]
    typed: list[Query]
    warm: list[Query]
    stream: list[Query]      # keystrokes of other queries, for requests per second
    emails: list[Email]      # the agent's half first, then the admin's
    warm_emails: list[Email]

    @property
    def agent_emails(self) -> list[Email]:
        return self.emails[:len(self.emails) // 2]

    @property
    def admin_emails(self) -> list[Email]:
        return self.emails[len(self.emails) // 2:]


def workload(cards: list[Card], frequency: Counter, queries: int, mails: int, stream_queries: int = 400,
             warm: int = 3) -> Workload:
    pairs = query_pairs(cards, frequency, queries + warm + stream_queries)
    measured, warming, rest = pairs[:queries], pairs[queries:queries + warm], pairs[queries + warm:]
    drawn = emails(cards, 2 * mails + warm)
    return Workload(whole=[w for w, _ in measured], typed=[t for _, t in measured],
                    warm=[q for pair in warming for q in pair], stream=keystrokes([w for w, _ in rest]),
                    emails=drawn[:2 * mails], warm_emails=drawn[2 * mails:])
