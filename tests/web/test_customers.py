"""The customers pages through the real forms, on SQLite and PostgreSQL: finding a customer as
you type, keeping quick facts (conflicts lose nothing), and creating and correcting customers."""

from __future__ import annotations

import re

import pytest

from tests.web.pages import HTML, post_form, sign_in

PASSWORD = "pw-for-tests"


@pytest.fixture
def desk(client):
    f = client.factory
    sam = f.user("Sam Agent", email="sam@example.test", password=PASSWORD)
    kim = f.user("Kim Agent", email="kim@example.test", password=PASSWORD)
    northwind = f.customer("Northwind Traders", emails=["maria@northwind.example"], domains=["northwind.example"])
    contoso = f.customer("Contoso", emails=["li@contoso.example"], domains=["contoso.example"])
    fact = f.fact(northwind, sam, "Enterprise plan, renews on 1 March.")
    sign_in(client, "sam@example.test", PASSWORD)
    return {"client": client, "sam": sam, "kim": kim, "northwind": northwind, "contoso": contoso, "fact": fact}


def _flash(response) -> str:
    return " ".join(re.findall(r'class="flash[^"]*"[^>]*>([^<]+)', response.text))


def _follow(client, response):
    assert response.status_code == 303, response.text
    return client.get(response.headers["location"], headers=HTML)


def test_search_finds_customers_by_name_email_and_domain(desk):
    client = desk["client"]
    for words in ("northwind", "NORTH", "maria@north", "northwind.example"):
        found = client.get("/customers", params={"q": words}, headers=HTML).text
        assert "Northwind Traders" in found and "Contoso" not in found, words
    both = client.get("/customers", headers=HTML).text
    assert "Northwind Traders" in both and "Contoso" in both and 'hx-push-url="true"' in both
    htmx = client.get("/customers", params={"q": "contoso"}, headers={**HTML, "HX-Request": "true"})
    assert "<html" not in htmx.text and "Contoso" in htmx.text and "Northwind" not in htmx.text
    assert htmx.headers["vary"] == "HX-Request"
    restored = client.get("/customers", params={"q": "contoso"},
                          headers={**HTML, "HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restored.text
    nothing = client.get("/customers", params={"q": "parrot"}, headers=HTML).text
    assert "No customer matches" in nothing and "/customers/new?name=parrot" in nothing


def test_the_customer_page_lists_addresses_and_facts_and_adds_one(desk):
    client, customer = desk["client"], desk["northwind"]
    shown = client.get(f"/customers/{customer.id}", headers=HTML).text
    assert "maria@northwind.example" in shown and "northwind.example" in shown
    assert "Enterprise plan, renews on 1 March." in shown
    added = post_form(client, f"/customers/{customer.id}/facts",
                      {"text": "Prefers email over phone.", "pinned": "1", "remind_at": "2030-01-02"})
    shown = _follow(client, added)
    assert "Quick fact added." in _flash(shown)
    text = shown.text
    assert text.index("Prefers email over phone.") < text.index("Enterprise plan")  # pinned first
    assert "Reminder 2 Jan 2030" in text


def test_an_empty_or_too_long_fact_is_refused_and_the_text_kept(desk):
    client, customer = desk["client"], desk["northwind"]
    empty = post_form(client, f"/customers/{customer.id}/facts", {"text": "   "})
    assert empty.status_code == 400 and "needs some text" in empty.text
    long = "x" * 2001
    refused = post_form(client, f"/customers/{customer.id}/facts", {"text": long})
    assert refused.status_code == 400 and "at most 2000" in refused.text and long in refused.text
    bad_date = post_form(client, f"/customers/{customer.id}/facts", {"text": "Kept", "remind_at": "soon"})
    assert bad_date.status_code == 400 and "Choose a date" in bad_date.text and ">Kept</textarea>" in bad_date.text


def test_hostile_text_is_shown_as_text(desk):
    client, customer = desk["client"], desk["northwind"]
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) **bold**'
    _follow(client, post_form(client, f"/customers/{customer.id}/facts", {"text": hostile}))
    page = client.get(f"/customers/{customer.id}", headers=HTML).text
    assert "<script>alert(1)" not in page and "<img src=x" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "[x](javascript:alert(3))" in page  # as text
    assert "<strong>bold</strong>" in page  # the same sanitized Markdown as the sidebar shows
    created = post_form(client, "/customers", {"name": '<b onmouseover="x">Evil</b>', "emails": "", "domains": ""})
    page = _follow(client, created).text
    assert "<b onmouseover" not in page and "&lt;b onmouseover=" in page


def test_editing_a_fact_that_changed_meanwhile_shows_theirs_and_keeps_mine(desk):
    client, customer, fact = desk["client"], desk["northwind"], desk["fact"]
    path = f"/customers/{customer.id}/facts/{fact.id}"
    saved = post_form(client, path, {"action": "save", "text": "Enterprise plan, renews on 1 April.", "version": "1"})
    assert "Quick fact saved." in _flash(_follow(client, saved))
    stale = post_form(client, path, {"action": "save", "text": "My words, typed with care.", "version": "1"})
    assert stale.status_code == 409
    assert "changed this fact after you opened" in stale.text
    assert "Enterprise plan, renews on 1 April." in stale.text  # theirs
    assert ">My words, typed with care.</textarea>" in stale.text  # mine, kept
    assert 'name="version" value="2"' in stale.text  # saving again is a knowing choice
    again = post_form(client, path, {"action": "save", "text": "My words, typed with care.", "version": "2"})
    assert "My words, typed with care." in _follow(client, again).text
    stale_pin = post_form(client, path, {"action": "pin", "version": "1"})
    assert stale_pin.status_code == 409 and "nothing was changed" in stale_pin.text


def test_saving_a_fact_deleted_meanwhile_keeps_the_text_in_the_add_form(desk):
    client, customer, fact = desk["client"], desk["northwind"], desk["fact"]
    _follow(client, post_form(client, f"/customers/{customer.id}/facts/{fact.id}/delete", {}))
    gone = post_form(client, f"/customers/{customer.id}/facts/{fact.id}",
                     {"action": "save", "text": "Words worth keeping.", "version": "1"})
    assert gone.status_code == 404 and "deleted that quick fact meanwhile" in gone.text
    assert ">Words worth keeping.</textarea>" in gone.text


def test_pin_reminder_and_delete(desk):
    client, customer, fact = desk["client"], desk["northwind"], desk["fact"]
    path = f"/customers/{customer.id}/facts/{fact.id}"
    assert "Pinned" in _flash(_follow(client, post_form(client, path, {"action": "pin", "version": "1"})))
    page = _follow(client, post_form(client, path, {"action": "remind", "remind_at": "2031-05-06", "version": "2"}))
    assert "Reminder 6 May 2031" in page.text and 'value="2031-05-06"' in page.text
    missing = post_form(client, path, {"action": "remind", "remind_at": "", "version": "3"})
    assert missing.status_code == 400 and "Choose the day" in missing.text
    page = _follow(client, post_form(client, path, {"action": "clear_reminder", "version": "3"}))
    assert "Reminder cleared." in _flash(page) and "Reminder 6 May" not in page.text
    page = _follow(client, post_form(client, path, {"action": "unpin", "version": "4"}))
    assert "Unpinned." in _flash(page)
    assert 'data-confirm="Delete this quick fact?' in page.text
    deleted = _follow(client, post_form(client, f"{path}/delete", {}))
    assert "Quick fact deleted." in _flash(deleted) and "Enterprise plan" not in deleted.text


def test_only_the_author_or_an_admin_deletes_and_facts_stay_under_their_customer(desk):
    client, fact = desk["client"], desk["fact"]
    client.cookies.clear()
    sign_in(client, "kim@example.test", PASSWORD)
    page = client.get(f"/customers/{desk['northwind'].id}", headers=HTML).text
    assert "/delete" not in page
    refused = post_form(client, f"/customers/{desk['northwind'].id}/facts/{fact.id}/delete", {})
    assert refused.status_code == 403 and "author or an admin" in refused.text
    elsewhere = post_form(client, f"/customers/{desk['contoso'].id}/facts/{fact.id}", {"action": "pin", "version": "1"})
    assert elsewhere.status_code == 404


def test_expired_facts_are_marked(desk):
    from datetime import datetime, timezone

    f = desk["client"].factory
    f.fact(desk["northwind"], desk["sam"], "On leave until March.", expires_at=datetime(2020, 3, 3, tzinfo=timezone.utc))
    page = desk["client"].get(f"/customers/{desk['northwind'].id}", headers=HTML).text
    assert "fact-expired" in page and "Expired 3 Mar 2020" in page


def test_create_and_edit_a_customer_with_checked_addresses(desk):
    client = desk["client"]
    created = post_form(client, "/customers", {"name": "  Fabrikam  ", "emails": "Ops@Fabrikam.example, kai@fabrikam.example",
                                                "domains": "fabrikam.example\n@fab.example"})
    page = _follow(client, created)
    assert "Customer “Fabrikam” created." in _flash(page)
    assert "ops@fabrikam.example" in page.text and "fab.example" in page.text
    customer_id = int(created.headers["location"].rsplit("/", 1)[1])
    assert "Fabrikam" in client.get("/customers?q=kai@fab", headers=HTML).text

    for emails, domains, message in (("not-an-address", "", "is not an email address"),
                                     ("a@b", "", "is not an email address"),
                                     ("", "javascript:alert(1)", "is not a domain name"),
                                     ("maria@northwind.example", "", "belongs to Northwind Traders"),
                                     ("", "contoso.example", "belongs to Contoso")):
        refused = post_form(client, f"/customers/{customer_id}/edit",
                            {"name": "Fabrikam Ltd", "emails": emails, "domains": domains, "version": "1"})
        assert refused.status_code == 400 and message in refused.text, (emails, domains)
        assert 'value="Fabrikam Ltd"' in refused.text  # what was typed is kept
    saved = post_form(client, f"/customers/{customer_id}/edit",
                      {"name": "Fabrikam Ltd", "emails": "kai@fabrikam.example", "domains": "", "version": "1"})
    page = _follow(client, saved)
    assert "Fabrikam Ltd" in page.text and "ops@fabrikam.example" not in page.text and "fab.example" not in page.text
    assert "Customer saved." in _flash(page)
    # A second window still on version 1 gets both versions side by side, and loses nothing.
    stale = post_form(client, f"/customers/{customer_id}/edit",
                      {"name": "Fabrikam Inc", "emails": "ops@fabrikam.example", "domains": "", "version": "1"})
    assert stale.status_code == 409 and "Someone saved this customer while you were editing" in stale.text
    assert 'value="Fabrikam Inc"' in stale.text and "kai@fabrikam.example<br>" in stale.text
    assert 'name="version" value="2"' in stale.text
    assert "Fabrikam Ltd" in client.get(f"/customers/{customer_id}", headers=HTML).text
    nameless = post_form(client, "/customers", {"name": " ", "emails": "", "domains": ""})
    assert nameless.status_code == 400 and "needs a name" in nameless.text


def test_signed_out_visitors_go_to_sign_in(client):
    response = client.get("/customers/1", headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


def test_only_an_admin_deletes_a_customer_and_everything_that_pointed_at_it_goes(desk):
    client, northwind = desk["client"], desk["northwind"]
    refused = post_form(client, f"/customers/{northwind.id}/delete", {})
    assert refused.status_code == 403 and "Only an admin" in refused.text
    assert "Delete customer" not in client.get(f"/customers/{northwind.id}", headers=HTML).text

    admin = client.factory.user("Admin", role="admin", email="boss@example.test", password=PASSWORD)
    collection = client.factory.collection("policies", verifier=admin)
    card = client.factory.card(collection, admin, title="Northwind's contract")
    headers = client.factory.headers(admin)
    client.post("/api/triggers", json={"card_id": card.id, "kind": "customer", "pattern": str(northwind.id)},
                headers=headers)
    client.cookies.clear()
    sign_in(client, "boss@example.test", PASSWORD)
    page = _follow(client, post_form(client, f"/customers/{northwind.id}/delete", {}))
    assert "Customer “Northwind Traders” deleted" in _flash(page)
    assert f'href="/customers/{northwind.id}"' not in page.text
    assert client.get(f"/customers/{northwind.id}", headers=HTML).status_code == 404
    assert client.get("/api/triggers", headers=headers).json() == []
    context = client.post("/api/context", json={"emails": ["maria@northwind.example"]}, headers=headers).json()
    assert context["customer"] is None and context["facts"] == []


def test_a_long_list_says_it_shows_only_the_first_fifty(desk):
    client = desk["client"]
    for n in range(50):
        client.factory.customer(f"Acme branch {n:02d}")
    page = client.get("/customers", headers=HTML).text
    assert page.count('<a href="/customers/') == 50 and "Showing the first 50" in page
    assert "Showing the first" not in client.get("/customers", params={"q": "branch 07"}, headers=HTML).text
