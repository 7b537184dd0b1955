"""The analytics page and its CSV downloads: for admins and collection owners (as the API:
one rule, in policies/analytics.py), only readable cards, hostile queries shown as text,
spreadsheet formulas defused."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from server import clock
from server.analytics.service import record_search, record_use
from server.editor import analytics_pages
from tests.html_checks import runnable_parts
from tests.web.pages import HTML, sign_in

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
HOSTILE = '<img src=x onerror=alert(1)> & "refund"'


@pytest.fixture
def world(client):
    clock.freeze(NOW)
    f = client.factory
    boss = f.user("Boss", role="admin", email="boss@example.test", password="correct horse")
    sam = f.user("Sam", email="sam@example.test", password="correct horse")
    kb, secret = f.collection("kb", verifier=boss), f.collection("secret", verifier=boss)
    used = f.card(kb, boss, title="Handling a refund request")
    idle = f.card(kb, sam, title="Seat limits <b>bold</b>")
    hidden = f.card(secret, boss, title="Salary bands")
    with f.db.session() as s:
        for query, results in ((HOSTILE, 0), ("=HYPERLINK(\"http://evil.example\")", 0), ("refund", 1),
                               ("laptop stand", 0)):
            record_search(s, user=sam, query=query, source="editor", result_count=results)
            clock.freeze(NOW + timedelta(seconds=30 * len(query)))  # separate searches, not typing
        record_use(s, user=sam, card_id=used.id, action="copied")
        record_use(s, user=sam, card_id=hidden.id, action="opened")
    clock.freeze(NOW + timedelta(minutes=30))
    sign_in(client, "boss@example.test", "correct horse")
    return {"used": used, "idle": idle, "hidden": hidden, "kb": kb, "secret": secret}


def test_a_member_is_shown_neither_the_page_nor_its_link(client, world):
    client.cookies.clear()
    sign_in(client, "sam@example.test", "correct horse")
    assert client.get("/analytics", headers=HTML).status_code == 403
    assert client.get("/analytics/top-queries.csv", headers=HTML).status_code == 403
    assert 'href="/analytics"' not in client.get("/cards", headers=HTML).text


def test_an_expert_who_owns_a_collection_reads_them_on_the_page_and_the_api(client, world):
    f = client.factory
    owner = f.user("Olga Owner", email="olga@example.test", password="correct horse")
    f.collection("playbook", verifier=owner)
    client.cookies.clear()
    sign_in(client, "olga@example.test", "correct horse")
    assert client.get("/analytics", headers=HTML).status_code == 200
    assert 'href="/analytics"' in client.get("/cards", headers=HTML).text
    assert client.get("/api/analytics/zero-results", headers=f.headers(owner)).status_code == 200
    member = f.user("Other Member")
    assert client.get("/api/analytics/zero-results", headers=f.headers(member)).status_code == 403


def test_an_admin_sees_trust_charts_and_every_table(client, world):
    response = client.get("/analytics", headers=HTML)
    assert response.status_code == 200
    html = response.text
    assert runnable_parts(html.split("<main")[1]) == [] and "style=" not in html
    assert 'aria-labelledby="trust-trend-title trust-trend-desc"' in html
    assert "<title id=\"trust-bars-title\">Trust score by collection</title>" in html
    assert "67%" in html  # two of three live cards are verified by their verifier
    for heading in ("Searches with no results", "Top queries", "Most used cards", "Least used cards"):
        assert heading in html
    assert 'href="/cards/new?title=laptop%20stand"' in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;refund&#34;" in html or \
        "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;refund&quot;" in html
    assert f'href="/cards/{world["used"].id}"' in html and f'href="/cards/{world["idle"].id}"' in html
    assert "Seat limits &lt;b&gt;bold&lt;/b&gt;" in html
    assert 'href="/analytics/zero-results.csv?days=30"' in html


def test_cards_in_collections_the_reader_cannot_read_are_left_out(client, world, monkeypatch):
    monkeypatch.setattr(analytics_pages, "readable_collection_ids", lambda session, user: [world["kb"].id])
    html = client.get("/analytics", headers=HTML).text
    assert "Salary bands" not in html and "Handling a refund request" in html
    assert "secret" not in html.split("Trust score by collection as a table")[1].split("</table>")[0]
    rows = list(csv.reader(io.StringIO(client.get("/analytics/most-used-cards.csv").text.lstrip("\ufeff"))))
    assert [r[1] for r in rows[1:]] == ["Handling a refund request"]


def test_the_period_selector(client, world):
    clock.freeze(NOW + timedelta(days=10))
    html = client.get("/analytics?days=7", headers=HTML).text
    assert 'href="/analytics?days=7" aria-current="page"' in html
    assert "laptop stand" not in html and "No searches in the last 7 days." in html
    assert "laptop stand" in client.get("/analytics?days=30", headers=HTML).text
    response = client.get("/analytics?days=8", headers=HTML)
    assert response.status_code == 400 and "Choose a period" in response.text


def test_each_table_downloads_as_csv_with_formulas_defused(client, world):
    response = client.get("/analytics/zero-results.csv?days=30")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="vouch-zero-results-30d.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0] == ["query", "count", "last_searched_at"]
    queries = [r[0] for r in rows[1:]]
    assert "'=hyperlink(\"http://evil.example\")" in queries  # quoted, and never a formula
    assert HOSTILE.casefold() in queries and "laptop stand" in queries
    for name, header in (("top-queries", ["query", "count", "average_results"]),
                         ("most-used-cards", ["card_id", "title", "uses", "opens", "copies", "inserts"]), ("unused-cards", ["card_id", "title"])):
        got = client.get(f"/analytics/{name}.csv?days=7")
        assert got.status_code == 200 and got.text.lstrip("\ufeff").splitlines()[0] == ",".join(header)
    assert client.get("/analytics/secrets.csv", headers=HTML).status_code == 404
    assert client.get("/analytics/top-queries.txt", headers=HTML).status_code == 404


def test_csv_cells_that_look_like_formulas_get_a_quote():
    from server.analytics.service import report_csv
    text = report_csv([{"q": v} for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "plain", 'a,"b"')], ("q",))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "plain", 'a,"b"']
    assert report_csv([{"n": -3}], ("n",)).splitlines()[1] == "-3"  # numbers stay numbers


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/analytics/top-queries.csv", headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in?next=")


def test_daily_snapshots_draw_the_trend_and_long_tables_are_cut_short(client, world):
    from server.verification.trust import take_snapshot
    with client.factory.db.session() as s:
        for days_ago in (2, 1):
            clock.freeze(NOW - timedelta(days=days_ago))
            take_snapshot(s)
    for n in range(16):
        client.factory.card(world["kb"], client.factory.user(), title=f"Extra card {n}")
    clock.freeze(NOW + timedelta(minutes=30))
    html = client.get("/analytics", headers=HTML).text
    assert "<title>21 Nov · Overall: 67%</title>" in html and "<title>22 Nov · kb: 50%</title>" in html
    assert "<polyline" in html and "the line grows from here" not in html
    assert "Showing 15 of 17; the CSV has them all." in html
    assert len(client.get("/analytics/unused-cards.csv").text.strip().splitlines()) == 18
