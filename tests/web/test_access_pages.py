"""A collection's access page through real form posts: its owner (not an admin) and admins
restrict and open it, add people and groups, and remove them; readers who do not own it get
403, those who cannot read it 404; CSRF is required and names are shown as text."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.accounts import groups
from server.cards import access_lists
from server.cards.models import Collection, CollectionGrant
from tests.html_checks import runnable_parts
from tests.web.pages import HTML, post_form, sign_in

PASSWORD = "correct horse"
HOSTILE = '<script>alert("x")</script>'
EXPLAINED = "An admin is not a reader of a restricted collection unless listed here."


@pytest.fixture
def world(client):
    f = client.factory
    boss = f.user("Boss", email="boss@example.test", password=PASSWORD, role="admin")
    ada = f.user("Ada", email="ada@example.test", password=PASSWORD)
    sam = f.user("Sam", email="sam@example.test", password=PASSWORD)
    kb = f.collection("kb", verifier=ada)
    card = f.card(kb, ada, title="Refund exceptions")
    with f.db.session() as s:
        group = groups.create_group(s, actor=boss, name=HOSTILE)
    return {"boss": boss, "ada": ada, "sam": sam, "kb": kb, "card": card, "group": group,
            "page": f"/admin/collections/{kb.id}/access"}


def grants(client) -> dict:
    with client.factory.db.session() as s:
        return {(g.user_id, g.group_id): g.role for g in s.exec(select(CollectionGrant))}


def restricted(client, collection) -> bool:
    with client.factory.db.session() as s:
        return s.get(Collection, collection.id).restricted


def test_the_owner_restricts_adds_and_removes_through_the_page(client, world):
    page_path = world["page"]
    sign_in(client, "ada@example.test", PASSWORD)
    # An owner who is not an admin has no admin menu: the card page links them to the list.
    assert f'href="{page_path}"' in client.get(f"/cards/{world['card'].id}", headers=HTML).text
    page = client.get(page_path, headers=HTML)
    assert page.status_code == 200 and EXPLAINED in page.text and "Open" in page.text
    assert 'href="/admin"' not in page.text  # an owner, not an admin: no admin menu
    assert runnable_parts(page.text.split("<main")[1]) == []

    done = post_form(client, f"{page_path[:-7]}/restricted", {"restricted": "1"}, page=page_path)
    assert done.status_code == 303 and done.headers["location"] == page_path
    assert restricted(client, world["kb"])
    shown = client.get(page_path, headers=HTML).text
    assert "is restricted" in shown and "Open to every member" in shown

    added = post_form(client, page_path, {"user_email": "Sam@Example.test", "role": "edit"}, page=page_path)
    assert added.status_code == 303
    assert "Sam may now read and edit this collection." in client.get(page_path, headers=HTML).text
    post_form(client, page_path, {"group": HOSTILE, "role": "verify"}, page=page_path)
    assert grants(client) == {(world["sam"].id, None): "edit", (None, world["group"].id): "verify"}
    shown = client.get(page_path, headers=HTML).text
    assert "&lt;script&gt;alert(" in shown and HOSTILE not in shown

    line = next(g for g in _lines(client) if g.user_id == world["sam"].id)
    removed = post_form(client, f"{page_path}/{line.id}/remove", {}, page=page_path)
    assert removed.status_code == 303 and removed.headers["location"] == page_path
    assert (world["sam"].id, None) not in grants(client)
    post_form(client, f"{page_path[:-7]}/restricted", {"restricted": "0"}, page=page_path)
    assert not restricted(client, world["kb"])


def _lines(client) -> list[CollectionGrant]:
    with client.factory.db.session() as s:
        return list(s.exec(select(CollectionGrant)))


def test_an_admin_reaches_it_from_the_collections_list_and_manages_a_list_it_cannot_read(client, world):
    sign_in(client, "boss@example.test", PASSWORD)
    listed = client.get("/admin/collections", headers=HTML).text
    assert f'href="{world["page"]}"' in listed
    post_form(client, f"{world['page'][:-7]}/restricted", {"restricted": "1"}, page=world["page"])
    assert client.get(f"/cards/{world['card'].id}", headers=HTML).status_code == 404
    page = client.get(world["page"], headers=HTML)
    assert page.status_code == 200 and EXPLAINED in page.text and 'aria-current="page">Collections' in page.text
    post_form(client, world["page"], {"user_email": "boss@example.test", "role": "read"}, page=world["page"])
    assert client.get(f"/cards/{world['card'].id}", headers=HTML).status_code == 200


def test_a_reader_gets_403_and_someone_who_cannot_read_gets_404(client, world):
    """(And the card page does not link a reader who does not own it to the list.)"""
    with client.factory.db.session() as s:
        access_lists.grant(s, actor=world["ada"], collection_id=world["kb"].id, role="read", user_id=world["sam"].id)
    sign_in(client, "sam@example.test", PASSWORD)
    assert world["page"] not in client.get(f"/cards/{world['card'].id}", headers=HTML).text
    page = client.get(world["page"], headers=HTML)
    assert page.status_code == 403 and "decides who may read it" in page.text
    for path, data in ((world["page"], {"user_email": "sam@example.test", "role": "own"}),
                       (f"{world['page'][:-7]}/restricted", {"restricted": "1"})):
        assert post_form(client, path, data).status_code == 403
    assert grants(client) == {(world["sam"].id, None): "read"} and not restricted(client, world["kb"])
    with client.factory.db.session() as s:
        access_lists.set_restricted(s, actor=world["ada"], collection_id=world["kb"].id, restricted=True)
        access_lists.revoke(s, actor=world["ada"], grant_id=_lines(client)[0].id)
    assert client.get(world["page"], headers=HTML).status_code == 404
    assert client.get("/admin/collections/999999/access", headers=HTML).status_code == 404


def test_csrf_is_required_and_bad_input_is_a_clear_page(client, world):
    sign_in(client, "ada@example.test", PASSWORD)
    refused = client.post(world["page"], data={"user_email": "sam@example.test", "role": "read"}, headers=HTML)
    assert refused.status_code == 403 and "reload the page" in refused.text
    unknown = post_form(client, world["page"], {"user_email": "nobody@example.test", "role": "read"},
                        page=world["page"])
    assert unknown.status_code == 400 and "No active user has the email address nobody@example.test" in unknown.text
    bad_role = post_form(client, world["page"], {"user_email": "sam@example.test", "role": "boss"}, page=world["page"])
    assert bad_role.status_code == 400 and "A role is one of read, edit, verify, own." in bad_role.text
    assert grants(client) == {}


def test_an_owner_who_gives_up_owning_goes_back_to_the_cards(client, world):
    with client.factory.db.session() as s:
        access_lists.grant(s, actor=world["boss"], collection_id=world["kb"].id, role="own", user_id=world["sam"].id)
    sign_in(client, "sam@example.test", PASSWORD)
    lowered = post_form(client, world["page"], {"user_email": "sam@example.test", "role": "edit"}, page=world["page"])
    assert lowered.status_code == 303 and lowered.headers["location"] == "/cards"
    assert grants(client) == {(world["sam"].id, None): "edit"}
