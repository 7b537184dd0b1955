"""Suggestion quality on an intent set (cards, messages that each have one, messages that
have none), measured through the sidebar's real path in a throwaway data directory.

The set's messages are split for good into a development part, on which the suggest
model is fitted and its thresholds chosen, and a held-out part that only checks them
(`part_of`): what was tuned on one part and holds on the other is not tuned to messages.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from server.accounts.service import create_user
from server.app import open_services
from server.context.service import context_panel
from server.search import service
from server.search.evaluation import load_corpus
from server.search.evidence import Weighed
from server.settings import Settings

PARTS = ("development", "held-out")
HELD_OUT_PER_CENT = 30
TOP = 3  # suggestions the agent sees without scrolling


def part_of(text: str) -> str:
    """Which part of the set a message is in, by a hash of its text: fixed whatever order
    or subset of the set is read (the slice in the tests agrees with the whole set)."""
    bucket = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "held-out" if bucket < HELD_OUT_PER_CENT else "development"


@dataclass(frozen=True)
class Message:
    id: str
    text: str
    card: str | None  # the card that answers it; None: none does (out of scope)


@dataclass(frozen=True)
class IntentSet:
    cards: list[dict]
    messages: list[Message]

    def part(self, name: str) -> list[Message]:
        return [m for m in self.messages if name == "all" or part_of(m.text) == name]


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_intent_set(folder: Path, limit: int | None = None) -> IntentSet:
    """corpus.jsonl, queries.jsonl with qrels.tsv, and queries_oos.jsonl (the layout of
    the clinc150 set's en/ folder); `limit`: only the first N of each kind of message."""
    rows = [line.split("\t") for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines()[1:]
            if line.strip()]
    card_of = {query_id: doc_id for query_id, doc_id, *_ in rows}
    in_scope = [Message(q["id"], q["text"], card_of[q["id"]]) for q in _read_jsonl(folder / "queries.jsonl")]
    out_of_scope = [Message(q["id"], q["text"], None) for q in _read_jsonl(folder / "queries_oos.jsonl")]
    return IntentSet(_read_jsonl(folder / "corpus.jsonl"), in_scope[:limit] + out_of_scope[:limit])


@contextmanager
def prose_set(retrieval: Path, intents: Path) -> Iterator[Path]:
    """An intent set of cards of prose, for checking what was chosen on short intent cards:
    a retrieval set's paragraphs as cards and its questions as messages (XQuAD's layout:
    corpus.jsonl, queries.jsonl, qrels.tsv), with an intent set's out-of-scope messages
    (queries_oos.jsonl). A folder that lasts as long as the `with`."""
    with tempfile.TemporaryDirectory(prefix="vouch-prose-") as folder:
        for source in (retrieval / "corpus.jsonl", retrieval / "queries.jsonl", retrieval / "qrels.tsv",
                       intents / "queries_oos.jsonl"):
            (Path(folder) / source.name).write_bytes(source.read_bytes())
        yield Path(folder)


class Install:
    """A fresh install holding the set's cards, asked as the sidebar and the search box ask."""

    def __init__(self, db, index, doc_of: dict[int, str], user):
        self.db, self.index, self._doc_of, self._user = db, index, doc_of, user

    def suggested(self, text: str) -> list[str]:
        """The cards the sidebar suggests for a conversation that is just this message."""
        with self.db.session() as session:
            panel = context_panel(session, self.index, user=self._user, emails=[], subject="", text=text)
            session.rollback()  # the analytics row it wrote is not part of what is measured
        return [self._doc_of[hit.card_id] for hit in panel.suggestions]

    def weighed(self, text: str) -> list[tuple[str, Weighed]]:
        """The cards suggest weighs for that conversation with their evidence, before the
        fit model decides, for the text context_panel gives it (an empty subject, twice,
        before the message)."""
        with self.index.searcher() as searcher:
            weighed, _ = service.candidates(self.index, searcher, f"\n\n{text}", None)
            return [(self._doc_of[int(w.hit["id"])], w) for w in weighed]

    def known(self, text: str) -> float:
        """The share of that conversation's telling words some card uses (the gate's)."""
        with self.index.searcher() as searcher:
            return service.known_share(self.index, searcher, f"\n\n{text}")

    def searched(self, text: str) -> list[str]:
        hits, _ = service.search(self.index, text=text, readable=None, limit=10)
        return [self._doc_of[hit.card_id] for hit in hits]


@contextmanager
def install_with(cards: list[dict], language: str = "en", mode: str | None = None) -> Iterator[Install]:
    """A fresh install in a temporary folder holding `cards`; `mode`: its VOUCH_SUGGEST."""
    with tempfile.TemporaryDirectory(prefix="vouch-eval-") as data_dir:
        settings = Settings(data_dir=Path(data_dir))
        db, index = open_services(replace(settings, suggest=mode) if mode else settings)
        try:
            with db.session() as session:
                doc_of = load_corpus(session, cards, language)
                user = create_user(session, email="agent@example.test", name="Agent")
            index.rebuild()
            index.embedder.catch_up()  # with the semantic extra: every card, before the first message
            yield Install(db, index, doc_of, user)
        finally:
            index.close()
            db.dispose()


@dataclass(frozen=True)
class SuggestScores:
    part: str
    in_scope: int
    right_in_top_3: float   # share of in-scope messages whose top three hold their card
    wrong_only: float       # … that get suggestions, none of them their card
    empty: float            # … that get none
    out_of_scope: int
    quiet: float            # share of out-of-scope messages that get none
    recall_at_5: float      # search, in-scope messages as typed queries
    mrr_at_10: float

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """What one message got: suggestions (right, wrong only, none) and, for an in-scope
    message, where search ranked its card (0: not in the top ten)."""

    message: Message
    right: bool
    wrong_only: bool
    rank: int


def answers(install: Install, messages: list[Message]) -> list[Answer]:
    return [_answer(install, message) for message in messages]


def _answer(install: Install, message: Message) -> Answer:
    shown = install.suggested(message.text)[:TOP]
    if message.card is None:
        return Answer(message, False, bool(shown), 0)
    ranked = install.searched(message.text)
    return Answer(message, message.card in shown, bool(shown) and message.card not in shown,
                  ranked.index(message.card) + 1 if message.card in ranked else 0)


def scores(part: str, answers: list[Answer]) -> SuggestScores:
    """The figures of a part of the set from what its messages got."""
    in_scope = [a for a in answers if a.message.card is not None]
    out_of_scope = [a for a in answers if a.message.card is None]
    n, oos = max(len(in_scope), 1), max(len(out_of_scope), 1)
    return SuggestScores(
        part, len(in_scope), sum(a.right for a in in_scope) / n, sum(a.wrong_only for a in in_scope) / n,
        sum(not a.right and not a.wrong_only for a in in_scope) / n, len(out_of_scope),
        sum(not a.wrong_only for a in out_of_scope) / oos,  # an out-of-scope message's suggestions are all wrong
        sum(0 < a.rank <= 5 for a in in_scope) / n, sum(1 / a.rank for a in in_scope if a.rank) / n)


def evaluate(folder: Path, parts=PARTS, limit: int | None = None, mode: str | None = None) -> list[SuggestScores]:
    """The scores of each part of the set at `folder` ('all': the whole set), through one
    install of its cards and the VOUCH_SUGGEST `mode` (None: the default)."""
    data = read_intent_set(folder, limit)
    with install_with(data.cards, mode=mode) as install:
        got = answers(install, data.messages)
    return [scores(part, [a for a in got if part == "all" or part_of(a.message.text) == part]) for part in parts]
