"""A card is never left with a verifier who cannot read it (DESIGN's orphan case): when an
access list, a group or a move takes someone's read access away, the cards they verify in
that collection go to its owner, in the same transaction, and each hand-over is audited."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from server.accounts.models import Group, User
from server.audit.service import record
from server.cards.models import Card, Collection, CollectionGrant
from server.errors import Invalid
from server.policies.access import Access, access_of, group_reads

REASON = "verifier lost access"


def user_reads(session: Session, collection_id: int, user: User) -> bool:
    return access_of(session, user).has(collection_id, "read")


def heir_of(session: Session, collection: Collection) -> int | None:
    """Who takes the cards over: the collection's default verifier, who always owns it, else
    the first active user its list grants 'own'; else no one (the card waits for a verifier)."""
    owner = session.get(User, collection.default_verifier_id) if collection.default_verifier_id else None
    if owner is not None and owner.active:
        return owner.id
    granted = select(CollectionGrant.user_id).join(User, User.id == CollectionGrant.user_id).where(
        CollectionGrant.collection_id == collection.id, CollectionGrant.role == "own",
        User.active == True).order_by(CollectionGrant.id)  # noqa: E712
    return session.exec(granted).first()


class _Readers:
    """Each verifier's Access (and each group's answer), looked up once for all the cards
    being checked."""

    def __init__(self, session: Session):
        self.session = session
        self.people: dict[int, Access | None] = {}
        self.groups: dict[tuple[int, int], bool] = {}

    def group_reads(self, group_id: int, collection: Collection) -> bool:
        key = (group_id, collection.id)
        if key not in self.groups:
            self.groups[key] = group_reads(self.session, collection, group_id)
        return self.groups[key]

    def user_reads(self, user_id: int, collection_id: int) -> bool:
        if user_id not in self.people:
            user = self.session.get(User, user_id)
            self.people[user_id] = access_of(self.session, user) if user else None
        access = self.people[user_id]
        return access is not None and access.has(collection_id, "read")


def hand_over_unreadable(session: Session, *, actor: User | None, collection_ids: Iterable[int]) -> int:
    """Every live card in these collections whose verifier (a person, or a group) can no longer
    read it goes to the collection's heir; how many did. Call it after the change, before the
    action commits. `actor` None: the change came from the company's sign-in."""
    session.flush()  # access_of reads collections past the ORM: it must see this action's change
    readers, moved = _Readers(session), 0
    wanted = sorted(set(collection_ids))
    collections = session.exec(select(Collection).where(Collection.id.in_(wanted))).all() if wanted else []
    for collection in collections:
        heir: int | None | bool = False  # looked up once, when a card needs one
        # Only the columns asked, for a collection of thousands; the few cards handed over are loaded.
        verifiers = session.exec(select(Card.id, Card.verifier_id, Card.verifier_group_id).where(
            Card.collection_id == collection.id, Card.status != "archived").order_by(Card.id)).all()
        for card_id, user_id, group_id in verifiers:
            if group_id is not None:
                lost = not readers.group_reads(group_id, collection)
            else:
                lost = user_id is not None and not readers.user_reads(user_id, collection.id)
            if not lost:
                continue
            if heir is False:
                heir = heir_of(session, collection)
            _hand_over(session, session.get(Card, card_id), heir, actor)
            moved += 1
    return moved


def _hand_over(session: Session, card: Card, heir: int | None, actor: User | None, reason: str = REASON) -> None:
    before_user, before_group = card.verifier_id, card.verifier_group_id
    card.verifier_id, card.verifier_group_id, card.assignee_id = heir, None, None
    session.add(card)
    details = {"from_group": before_group} if before_group is not None else {}
    record(session, actor_id=actor.id if actor else None, action="reassign", target_type="card", target_id=card.id,
           reason=reason, from_user=before_user, to_user=heir, **details)


def hand_over_cards_of_group(session: Session, *, actor: User, group_id: int) -> int:
    """Before a group is deleted, every card it verifies (archived ones too: they still name it)
    goes to its collection's heir; in an open collection with none, to `actor`, the admin
    deleting it, as a deactivated verifier's cards go to an admin. How many moved."""
    cards = session.exec(select(Card).where(Card.verifier_group_id == group_id).order_by(Card.id)).all()
    heirs: dict[int, int | None] = {}
    for card in cards:
        if card.collection_id not in heirs:
            collection = session.get(Collection, card.collection_id)
            heir = heir_of(session, collection)
            # An admin does not read a restricted collection unless listed: there only its owners take over.
            heirs[collection.id] = heir if heir is not None or collection.restricted else actor.id
        _hand_over(session, card, heirs[card.collection_id], actor, reason="verifier group deleted")
    return len(cards)


def collections_naming_group(session: Session, group_id: int) -> list[int]:
    """The collections whose lists name the group: where leaving it can take read access away."""
    return list(session.exec(select(CollectionGrant.collection_id).where(CollectionGrant.group_id == group_id)
                             .distinct()))


def check_verifier_reads(session: Session, collection: Collection, *, user: User | None = None,
                         group: Group | None = None) -> None:
    """Choosing a verifier who could not read the card would hand it straight back: refused."""
    if user is not None and not user_reads(session, collection.id, user):
        raise Invalid(f"{user.name} cannot read “{collection.name}”, so cannot verify its cards: add them to its "
                      "access list first.", code="verifier_cannot_read")
    if group is not None and not group_reads(session, collection, group.id):
        raise Invalid(f"The group {group.name} cannot read “{collection.name}”, so cannot verify its cards: add it "
                      "to its access list first.", code="verifier_cannot_read")
