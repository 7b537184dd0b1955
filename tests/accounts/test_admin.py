"""Admin rules for accounts and collections: only admins, an admin never demotes themselves,
passwords long enough, collection slugs well-formed and unique, intervals from the list."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.accounts import admin, groups
from server.accounts.models import User
from server.accounts.service import check_password
from server.accounts.sessions import start_session, user_for_session
from server.audit.models import AuditEvent
from server.cards import collections
from server.errors import Conflict, Forbidden, Invalid


def test_only_admins_manage_people(factory):
    member, boss = factory.user("Member"), factory.user("Boss", role="admin")
    with factory.db.session() as s:
        for call in (lambda: admin.list_people(s, actor=member),
                     lambda: admin.add_local_user(s, actor=member, email="x@example.test", name="X", role="member",
                                                  password="long enough pw"),
                     lambda: admin.set_role(s, actor=member, user_id=member.id, role="admin"),
                     lambda: admin.reactivate_user(s, actor=member, user_id=boss.id),
                     lambda: admin.set_password(s, actor=member, user_id=boss.id, password="long enough pw"),
                     lambda: collections.create_collection(s, actor=member, slug="kb", name="KB")):
            with pytest.raises(Forbidden):
                call()
        assert s.get(User, member.id).role == "member"


def test_adding_a_user_and_changing_roles(factory):
    boss = factory.user("Boss", role="admin")
    with factory.db.session() as s:
        with pytest.raises(Invalid):
            admin.add_local_user(s, actor=boss, email="ada@example.test", name="Ada", role="member", password="short")
        ada = admin.add_local_user(s, actor=boss, email=" ADA@example.test", name="Ada", role="member",
                                   password="correct horse battery")
        assert ada.email == "ada@example.test" and check_password(ada, "correct horse battery")
        with pytest.raises(Conflict):
            admin.add_local_user(s, actor=boss, email="ada@example.test", name="Ada 2", role="member",
                                 password="correct horse battery")
        assert admin.set_role(s, actor=boss, user_id=ada.id, role="admin").role == "admin"
        with pytest.raises(Invalid):
            admin.set_role(s, actor=boss, user_id=ada.id, role="owner")
        with pytest.raises(Invalid):
            admin.set_role(s, actor=boss, user_id=boss.id, role="member")
        assert [p.user.name for p in admin.list_people(s, actor=boss)] == ["Ada", "Boss"]
        actions = {e.action for e in s.exec(select(AuditEvent).where(AuditEvent.target_id == ada.id))}
        assert {"user_created", "role_changed"} <= actions


def test_a_new_password_signs_the_user_out_and_reactivating_lets_them_back(factory):
    from server.accounts.groups import deactivate_user
    boss, ada = factory.user("Boss", role="admin"), factory.user("Ada", password="old password 1")
    with factory.db.session() as s:
        cookie = start_session(s, ada)
        admin.set_password(s, actor=boss, user_id=ada.id, password="new password 22")
        assert user_for_session(s, cookie) is None
        assert check_password(s.get(User, ada.id), "new password 22")
        deactivate_user(s, actor=boss, user_id=ada.id)
        assert not s.get(User, ada.id).active
        assert admin.reactivate_user(s, actor=boss, user_id=ada.id).active
        person = next(p for p in admin.list_people(s, actor=boss) if p.user.id == ada.id)
        assert person.last_sign_in is None and person.tokens == 0


def test_collections_are_validated(factory):
    boss, ada = factory.user("Boss", role="admin"), factory.user("Ada")
    with factory.db.session() as s:
        for slug in ("", "Billing", "a b", "-kb", "kb-", "kb--faq", "x" * 101, "kb/1", "<b>"):
            with pytest.raises(Invalid):
                collections.create_collection(s, actor=boss, slug=slug, name="KB")
        with pytest.raises(Invalid):
            collections.create_collection(s, actor=boss, slug="kb", name="KB", default_interval_days=45)
        with pytest.raises(Invalid):
            collections.create_collection(s, actor=boss, slug="kb", name="  ")
        kb = collections.create_collection(s, actor=boss, slug="billing-faq", name=" Billing  FAQ ",
                                           description="Money.", default_verifier_id=ada.id,
                                           default_interval_days=None)
        assert (kb.name, kb.default_verifier_id, kb.default_interval_days) == ("Billing FAQ", ada.id, None)
        with pytest.raises(Conflict):
            collections.create_collection(s, actor=boss, slug="billing-faq", name="Again")
        with pytest.raises(Invalid):
            collections.update_collection(s, actor=boss, collection_id=kb.id, name="B", description="",
                                          default_verifier_id=999_999, default_interval_days=30)
        changed = collections.update_collection(s, actor=boss, collection_id=kb.id, name="Billing",
                                                description="<b>x</b>", default_verifier_id=None,
                                                default_interval_days=365)
        assert (changed.name, changed.slug, changed.default_interval_days) == ("Billing", "billing-faq", 365)
        assert [c.slug for c in collections.list_collections(s)] == ["billing-faq"]
        collections.update_collection(s, actor=boss, collection_id=kb.id, name="Billing", description="",
                                      default_verifier_id=None, default_interval_days=None)
    with factory.db.session() as s:
        assert collections.list_collections(s)[0].default_interval_days is None  # "never" survives a reload


def test_names_with_nul_or_line_breaks_are_stored_as_one_clean_line(factory):
    """PostgreSQL text cannot hold NUL: a pasted name must be cleaned, not fail."""
    admin_user = factory.user("Admin", role="admin")
    with factory.db.session() as session:
        group = groups.create_group(session, actor=admin_user, name=" Billing\x00\n experts ")
        assert group.name == "Billing experts"
        with pytest.raises(Invalid):
            groups.create_group(session, actor=admin_user, name="\x00 \n")
