"""queue_count (one COUNT in SQL, for the badge) against queue_for (the queue page, which
loads the cards): for every kind of card and every user they must agree."""

from datetime import datetime, timedelta, timezone

import pytest

from server import clock
from server.accounts.groups import add_member, create_group
from server.accounts.models import User
from server.cards.models import Card
from server.verification.models import Flag, Snooze
from server.verification.queue import ACTIONABLE, queue_count, queue_for

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)

# Each kind: the card's fields to set, then what to add beside it (flags, snoozes, who took it).
KINDS = {
    "verified": {},
    "never_due": {"verify_due_at": None},
    "due_soon": {"verify_due_at": START + 3 * DAY},
    "due_in_ten_days": {"verify_due_at": START + 10 * DAY},
    "overdue": {"verify_due_at": START - DAY},
    "due_this_moment": {"verify_due_at": START},
    "edited": {"status": "unverified"},
    "edited_and_overdue": {"status": "unverified", "verify_due_at": START - DAY},
    "archived": {"status": "archived", "verify_due_at": START - DAY},
    "archived_flagged": {"status": "archived", "flag": "open"},
    "flagged": {"flag": "open"},
    "flag_resolved": {"flag": "resolved"},
    "overdue_twice_flagged": {"verify_due_at": START - DAY, "flag": "open", "flags": 2},
    "snoozed_by_all": {"status": "unverified", "snooze": START + 3 * DAY},
    "snooze_over": {"status": "unverified", "snooze": START - DAY},
    "snoozed_by_ada": {"status": "unverified", "snooze": START + 3 * DAY, "snoozers": ("ada",)},
    "taken_by_member": {"status": "unverified", "assignee": "member"},
    "taken_by_inactive": {"status": "unverified", "assignee": "dee"},
    "taken_by_outsider": {"status": "unverified", "assignee": "sam"},
}
COPIES = 3  # consecutive ids, so each kind lands on every place of a rotation of 1 to 3


@pytest.fixture
def world(factory):
    clock.freeze(START)
    people = {name: factory.user(name.title(), role="admin" if name == "admin" else "member")
              for name in ("admin", "ada", "bo", "cy", "dee", "sam")}
    groups = _groups(factory, people, {"solo": ["ada"], "pair": ["ada", "bo"], "trio": ["ada", "bo", "cy"],
                                       "with_inactive": ["bo", "cy", "dee"], "admins": ["admin", "cy"]})
    # The admin is the default verifier of everything, as after `scripts/run`.
    kb = factory.collection("kb", verifier=people["admin"], interval_days=30)
    verifiers = {**{f"user:{n}": (people[n], None) for n in ("admin", "ada", "bo", "dee")},
                 **{f"group:{n}": (None, g) for n, g in groups.items()}}
    with factory.db.session() as s:  # some 500 cards: written in one go, not through create_card
        for target, (user, group) in verifiers.items():
            for kind, shape in KINDS.items():
                for copy in range(COPIES):
                    card = Card(collection_id=kb.id, slug=f"{target}-{kind}-{copy}".replace(":", "-"),
                                title=f"{target} {kind}", status="verified", verified_at=START - DAY,
                                verify_due_at=START + 29 * DAY, verified_by_id=people["admin"].id)
                    s.add(card)
                    s.flush()
                    _shape(s, card, people, user, group, shape)
        s.commit()
    _deactivate(factory, people["dee"])
    return people


def _groups(factory, people, names) -> dict[str, dict]:
    """Groups of one to three members, as an admin makes them; each as its id and members."""
    made = {}
    with factory.db.session() as s:
        for name, members in names.items():
            group = create_group(s, actor=people["admin"], name=name)
            for member in members:
                add_member(s, actor=people["admin"], group_id=group.id, email=people[member].email)
            made[name] = {"id": group.id, "members": members}
    return made


def _shape(s, card, people, user, group, shape) -> None:
    """Give the card its verifier and its kind's state, and add its flags and snoozes."""
    card.verifier_id = user.id if user else None
    card.verifier_group_id = group["id"] if group else None
    for name in ("status", "verify_due_at"):
        if name in shape:
            setattr(card, name, shape[name])
    if "assignee" in shape:
        taker = shape["assignee"]
        if taker == "member":  # often not the one whose turn it was
            members = group["members"] if group else ["bo"]
            taker = members[(card.id + 1) % len(members)]
        card.assignee_id = people[taker].id
    for _ in range(shape.get("flags", 1) if "flag" in shape else 0):
        s.add(Flag(card_id=card.id, raised_by_id=people["sam"].id, kind="wrong", reason="Out of date.",
                   status=shape["flag"]))
    for who in shape.get("snoozers", people) if "snooze" in shape else ():
        s.add(Snooze(user_id=people[who].id, card_id=card.id, until=shape["snooze"]))
    s.add(card)


def _deactivate(factory, user) -> None:
    """Inactive but still named on cards and groups: its turns pass to the others."""
    with factory.db.session() as s:
        row = s.get(User, user.id)
        row.active = False
        s.add(row)
        s.commit()


def _counts(factory, people) -> dict[str, tuple[int, int]]:
    """Per user: (queue_count, the actionable items of queue_for)."""
    found = {}
    with factory.db.session() as s:
        for name, person in people.items():
            user = s.get(User, person.id)
            expected = sum(1 for item in queue_for(s, user) if set(item.reasons) & set(ACTIONABLE))
            found[name] = (queue_count(s, user), expected)
    return found


def test_queue_count_equals_the_actionable_items_of_queue_for(factory, world):
    counts = _counts(factory, world)
    assert all(got == expected for got, expected in counts.values()), counts
    # Not vacuous: everyone who verifies has something waiting; the agent has nothing, and
    # neither has a deactivated verifier, who may read nothing any more.
    assert all(counts[name][1] > 0 for name in ("admin", "ada", "bo", "cy")), counts
    assert counts["sam"] == counts["dee"] == (0, 0)


def test_they_still_agree_when_time_passes(factory, world):
    """Ten days on: what was due soon is overdue, and the snoozes are over."""
    before = _counts(factory, world)
    clock.freeze(START + 10 * DAY)
    after = _counts(factory, world)
    assert all(got == expected for got, expected in after.values()), after
    assert after["admin"][1] > before["admin"][1]
