"""The verification badge is on every page: counting the viewer's turns costs the same number
of SQL statements whether they are in one group or in eight."""

from server.accounts.models import Group, GroupMember
from server.verification.queue import queue_count, queue_for
from tests.factories import counted_statements


def _in_groups(factory, user, others, how_many: int) -> None:
    with factory.db.session() as s:
        for n in range(how_many):
            group = Group(name=f"Team {user.id}-{n}")
            s.add(group)
            s.flush()
            s.add_all([GroupMember(group_id=group.id, user_id=who.id) for who in (user, *others[:n % 3])])
        s.commit()


def test_the_badge_and_the_queue_cost_the_same_for_one_group_and_for_eight(factory):
    others = [factory.user(f"Other {n}") for n in range(3)]
    one, eight = factory.user("In one group"), factory.user("In eight groups")
    _in_groups(factory, one, others, 1)
    _in_groups(factory, eight, others, 8)
    counts = {}
    for user in (one, eight):
        with factory.db.session() as s, counted_statements(factory.db.engine) as statements:
            queue_count(s, user)
            queue_for(s, user)
        counts[user.name] = statements[0]
    assert counts["In one group"] == counts["In eight groups"]
