"""The card pages through the real forms (a TestClient signed in with a cookie), on SQLite
and PostgreSQL: what each page shows, what each action does, and bad input losing nothing."""

from __future__ import annotations

import re

import pytest

from tests.web.pages import HTML, post_form, sign_in

PASSWORD = "pw-for-tests"


@pytest.fixture
def team(client):
    f = client.factory
    ada = f.user("Ada Expert", email="ada@example.test", password=PASSWORD)
    sam = f.user("Sam Agent", email="sam@example.test", password=PASSWORD)
    policies = f.collection("policies", verifier=ada)
    card = f.card(policies, ada, title="Refund window", body="Refunds within **30 days**.", tags=["billing"])
    other = f.card(policies, sam, title="Plan changes", body="Upgrades apply at once.")
    f.index.apply_pending()
    return {"ada": ada, "sam": sam, "card": card, "other": other, "client": client}


def _as(client, email):
    client.cookies.clear()
    return sign_in(client, email, PASSWORD)


def _flash(response) -> list[str]:
    return re.findall(r'class="flash[^"]*"[^>]*>([^<]+)', response.text)


def test_the_list_filters_by_status_tag_and_words(team):
    client = _as(team["client"], "sam@example.test")
    unverified = client.get("/cards?status=unverified", headers=HTML).text
    assert "Plan changes" in unverified and "Refund window" not in unverified
    assert "Refund window" in client.get("/cards?tag=billing", headers=HTML).text
    found = client.get("/cards?q=refunds", headers=HTML).text
    assert "Refund window" in found and "<mark>Refunds</mark>" in found and "Plan changes" not in found
    nothing = client.get("/cards?q=parrot+insurance", headers=HTML).text
    assert 'href="/cards/new?title=parrot%20insurance"' in nothing
    fragment = client.get("/cards?q=refunds", headers={**HTML, "HX-Request": "true", "HX-Target": "card-results"})
    assert "<html" not in fragment.text and "Refund window" in fragment.text


def test_the_card_page_says_who_verified_it_and_offers_what_the_viewer_may_do(team):
    client = _as(team["client"], "sam@example.test")
    page = client.get(f"/cards/{team['card'].id}", headers=HTML).text
    assert "<strong>30 days</strong>" in page and "Ada Expert" in page and "Verified" in page
    assert f'action="/cards/{team["card"].id}/verify"' not in page  # not Sam's to verify
    assert "Archive" not in page and "Pin this card" not in page
    client = _as(team["client"], "ada@example.test")
    page = client.get(f"/cards/{team['card'].id}", headers=HTML).text
    assert f'action="/cards/{team["card"].id}/verify"' in page and "Archive" in page and "Pin this card" in page


def test_an_edit_by_an_agent_unverifies_and_the_expert_verifies_from_the_page(team):
    client, card = _as(team["client"], "sam@example.test"), team["card"]
    saved = post_form(client, f"/cards/{card.id}/edit", {
        "title": "Refund window", "body": "Refunds within **14 days**.", "tags": "billing",
        "collection": "policies", "verifier": f"user:{team['ada'].id}", "interval": "30", "version": "1",
        "action": "save"})
    assert saved.status_code == 303
    page = client.get(saved.headers["location"], headers=HTML)
    assert "waiting for its verifier" in " ".join(_flash(page)) and "Edited since it was last verified by Sam Agent" in page.text
    history = client.get(f"/cards/{card.id}/changes", headers=HTML)
    assert "<del>30</del>" in history.text and "<ins>14</ins>" in history.text
    refused = post_form(client, f"/cards/{card.id}/verify", {})
    assert refused.status_code == 403 and "Only this card" in refused.text

    client = _as(client, "ada@example.test")
    queue = client.get("/queue", headers=HTML).text
    assert "Edited since verified" in queue and 'class="count"' in queue
    done = post_form(client, f"/cards/{card.id}/verify", {"back": "/queue"})
    assert done.headers["location"] == "/queue"
    assert "is verified" in " ".join(_flash(client.get("/queue", headers=HTML)))


def test_a_stale_save_shows_both_versions_and_keeps_the_users_text(team):
    client, card = _as(team["client"], "ada@example.test"), team["card"]
    form = {"title": "Refund window", "tags": "billing", "collection": "policies", "verifier": "", "interval": "30",
            "action": "save"}
    assert post_form(client, f"/cards/{card.id}/edit", {**form, "body": "First save.", "version": "1"}).status_code == 303
    stale = post_form(client, f"/cards/{card.id}/edit", {**form, "body": "My <b>late</b> edit.", "version": "1"})
    assert stale.status_code == 409
    assert "Someone saved this card while you were editing" in stale.text
    assert "My &lt;b&gt;late&lt;/b&gt; edit.</textarea>" in stale.text  # the user's text, kept and escaped
    assert 'name="version" value="2"' in stale.text  # saving again is a knowing choice
    assert "<p>First save.</p>" in stale.text


def test_bad_input_in_the_editor_says_why_and_keeps_everything_typed(team):
    client = _as(team["client"], "sam@example.test")
    cases = [({"title": "", "body": "kept body"}, 400, "needs a title"),
             ({"title": "x" * 301, "body": "kept body"}, 400, "at most 300"),
             ({"title": "Fine", "body": "kept body", "collection": "nope"}, 404, "no collection"),
             ({"title": "Fine", "body": "kept body", "interval": "12"}, 400, "interval"),
             ({"title": "Fine", "body": "kept body", "verifier": "user:99999"}, 404, "no active account"),
             ({"title": "Fine", "body": "kept body", "tags": ",".join(f"t{i}" for i in range(30))}, 400, "tags")]
    for fields, status, words in cases:
        answer = post_form(client, "/cards", {"collection": "policies", "verifier": "", "interval": "default",
                                              "tags": "", **fields})
        assert answer.status_code == status, (fields, answer.text[-500:])
        assert words in answer.text and "kept body</textarea>" in answer.text


def test_an_agent_may_not_change_who_verifies_and_loses_nothing_trying(team):
    client, card = _as(team["client"], "sam@example.test"), team["card"]
    answer = post_form(client, f"/cards/{card.id}/edit", {
        "title": "Refund window", "body": "Agent text", "tags": "", "collection": "policies",
        "verifier": f"user:{team['sam'].id}", "interval": "30", "version": "1", "action": "save"})
    assert answer.status_code == 403 and "Agent text</textarea>" in answer.text
    assert client.get(f"/cards/{card.id}", headers=HTML).text.count("Agent text") == 0


def test_history_restores_an_old_version_as_a_new_one(team):
    client, card = _as(team["client"], "sam@example.test"), team["card"]
    post_form(client, f"/cards/{card.id}/edit", {"title": "Refund window", "body": "Wrong text", "tags": "billing",
                                                 "collection": "policies", "verifier": "", "interval": "30",
                                                 "version": "1", "action": "save"})
    restored = post_form(client, f"/cards/{card.id}/restore", {"version": "1", "current": "2"})
    assert restored.status_code == 303
    history = client.get(restored.headers["location"], headers=HTML).text
    assert "Version 1 restored as version 3 (waiting for its verifier)" in history and "Restored version 1." in history
    stale = post_form(client, f"/cards/{card.id}/restore", {"version": "1", "current": "2"})
    assert stale.status_code == 409


def test_flags_reach_the_verifier_and_the_answer_reaches_the_flagger(team):
    client, card = _as(team["client"], "sam@example.test"), team["card"]
    assert post_form(client, f"/cards/{card.id}/flag", {"kind": "outdated", "reason": "It is 14 days now"}).status_code == 303
    assert "what the expert acts on" in post_form(client, f"/cards/{card.id}/flag", {"kind": "outdated", "reason": ""}).text
    client = _as(client, "ada@example.test")
    flags = client.get("/flags", headers=HTML).text
    assert "It is 14 days now" in flags
    flag_id = re.search(r'action="/flags/(\d+)/resolve"', flags).group(1)
    post_form(client, f"/flags/{flag_id}/resolve", {"resolution": "Updated the window", "fixed": "1"})
    client = _as(client, "sam@example.test")
    assert "Ada Expert fixed it after your flag" in client.get("/flags", headers=HTML).text


def test_snooze_archive_and_triggers_from_the_pages(team):
    client, card, other = _as(team["client"], "ada@example.test"), team["card"], team["other"]
    assert "Plan changes" in client.get("/queue", headers=HTML).text
    post_form(client, f"/queue/{other.id}/snooze", {"days": "7"})
    assert "Plan changes" not in client.get("/queue", headers=HTML).text
    assert post_form(client, f"/queue/{other.id}/snooze", {"days": "5"}).status_code == 400

    post_form(client, f"/cards/{card.id}/triggers", {"kind": "domain", "pattern": "northwind.example"})
    assert "northwind.example" in client.get(f"/cards/{card.id}", headers=HTML).text
    post_form(client, f"/cards/{card.id}/archive", {})
    assert "This card is archived" in client.get(f"/cards/{card.id}", headers=HTML).text
    assert "Refund window" not in client.get("/cards?q=refunds", headers=HTML).text
    post_form(client, f"/cards/{card.id}/unarchive", {})
    assert "Unverified" in client.get(f"/cards/{card.id}", headers=HTML).text


def test_the_preview_and_the_duplicate_hints_are_fragments(team):
    client = _as(team["client"], "sam@example.test")
    preview = post_form(client, "/cards/preview", {"body": "# Hi\n\n[x](javascript:alert(1))"})
    assert "<h1>Hi</h1>" in preview.text and "href=" not in preview.text and "<html" not in preview.text
    hints = client.get("/cards/duplicates?title=Refund+window+policy&card_id=", headers=HTML).text
    assert "Refund window" in hints and "Similar cards exist" in hints
    assert client.get(f"/cards/duplicates?title=Refund+window&card_id={team['card'].id}").text.strip() == ""
