"""Placeholders in a card's words ({{customer.first_name}}, {{fact:Plan}}): which names there
are, and where each one's value comes from when a reply is written for a conversation.

The Markdown renderer (server/markdown.py) finds them in the text; this module alone says
which names count, so anything else in double braces stays text as it was written."""

from __future__ import annotations

import re
from collections.abc import Iterable

from server.accounts.models import User
from server.facts.models import Customer, QuickFact

NAMES = ("customer.name", "customer.first_name", "company", "agent.name", "agent.first_name")
FACT = "fact:"
MAX_LABEL = 60
# {{ name }} with spaces tolerated inside the braces; a fact's label is any words up to 60
# characters without braces, colons or line breaks ("Plan", "Renewal date", "Tarif").
PATTERN = re.compile(r"\{\{[ \t]*(?P<name>[a-z_.]+|fact[ \t]*:[ \t]*(?P<label>[^{}:\n]{1,60}?))[ \t]*\}\}")


def placeholder_name(match: re.Match) -> str | None:
    """The canonical name of a `PATTERN` match ('fact:Plan'), or None if it names nothing."""
    if match.group("label") is not None:
        label = " ".join(match.group("label").split())
        return f"{FACT}{label}" if label else None
    name = match.group("name")
    return name if name in NAMES else None


def first_name(full_name: str | None) -> str:
    """'Maria Garcia' → 'Maria'; 'Garcia, Maria' → 'Maria'; an address is not a name."""
    name = " ".join((full_name or "").replace('"', " ").split())
    if not name or "@" in name:
        return ""
    if "," in name:
        name = name.split(",", 1)[1].strip() or name.split(",", 1)[0]
    return name.split(" ", 1)[0]


def fact_value(facts: Iterable[QuickFact], label: str) -> str:
    """The rest of the first line of the first fact that starts with 'Label:' (any case; the
    label may be bold, '**Plan:** Enterprise'), trimmed; '' if no fact does."""
    starts = re.compile(r"[ \t]*(?:\*\*|__)?" + re.escape(label) + r"[ \t]*:(?:\*\*|__)?(?P<value>.*)",
                        re.IGNORECASE)
    for fact in facts:
        found = starts.match((fact.text or "").split("\n", 1)[0])
        if found:
            return found.group("value").strip()
    return ""


def values_for(names: Iterable[str], *, agent: User, contact_name: str | None = None,
               customer: Customer | None = None, facts: Iterable[QuickFact] = ()) -> dict[str, str]:
    """The values of `names` for one conversation: the person writing in as the conversation
    shows them, the matched customer (an account) and its facts, and the agent. Names with
    no value are left out, so the renderer marks them unfilled."""
    contact = " ".join((contact_name or "").split())
    known = {"customer.name": "" if "@" in contact else contact,
             "customer.first_name": first_name(contact),
             "company": customer.name if customer else "",
             "agent.name": agent.name, "agent.first_name": first_name(agent.name)}
    facts = list(facts)
    values = {name: known[name] if name in known else fact_value(facts, name.removeprefix(FACT))
              for name in names if name in known or name.startswith(FACT)}
    return {name: value for name, value in values.items() if value}
