"""Every starter content file follows docs/content-format.md, and together they cover what the demo needs.

Plain Python and PyYAML only, so the content can be checked without the server package.
"""

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "content"
CARDS = sorted((CONTENT / "cards").glob("*/*.md"))
COLLECTIONS = sorted((CONTENT / "collections").glob("*.yaml"))
CUSTOMERS = sorted((CONTENT / "customers").glob("*.md"))

LANGUAGES = {"en", "tr", "zh", "et"}
INTERVALS = {7, 14, 30, 90, 180, 365, None}
STATUSES = {"verified", "unverified"}
USER_KEYS = {"email", "name", "role", "password"}
COLLECTION_KEYS = {"name", "description", "default_verifier", "interval_days"}
CARD_KEYS = {"title", "tags", "language", "verifier", "interval_days", "status"}
CUSTOMER_KEYS = {"name", "emails", "domains", "external_ids", "facts"}
FACT_KEYS = {"text", "author", "pinned", "remind_at", "expires_at"}

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n?(.*)\Z", re.DOTALL)
# Markdown is rendered and sanitized by the server, but starter content should never need raw HTML.
HTML_TAG = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
URL = re.compile(r"[a-z][a-z0-9+.-]*://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+", re.IGNORECASE)


def read_document(path: Path) -> tuple[dict, str]:
    """Split a Markdown file into its YAML front matter and its body."""
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: no front matter between '---' lines"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, match.group(2)


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


USERS = load_yaml(CONTENT / "users.yaml")
USER_EMAILS = {user["email"] for user in USERS}
DEFAULT_VERIFIERS = {p.stem: load_yaml(p)["default_verifier"] for p in COLLECTIONS}


def assert_safe_text(text: str, where: str) -> None:
    """No raw HTML, no script links, and links only to fictional https sites."""
    assert not HTML_TAG.search(text), f"{where}: raw HTML {HTML_TAG.search(text).group(0)!r}"
    assert "javascript:" not in text.lower(), f"{where}: javascript: link"
    for url in URL.findall(text):
        host = url.split("://", 1)[1].split("/", 1)[0]
        assert url.lower().startswith("https://") and host.endswith(".example"), f"{where}: {url}"


def as_date(value, where: str) -> date:
    """YAML reads 2026-11-02 as a date already; anything else must still be an ISO date."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        pytest.fail(f"{where}: {value!r} is not a date")


def test_users_file():
    assert all(set(user) <= USER_KEYS for user in USERS)
    assert all(user["role"] in {"admin", "member"} and user["name"] for user in USERS)
    assert len(USER_EMAILS) == len(USERS), "user emails are unique"
    assert {"admin@vouch.example", "ada@vouch.example", "sam@vouch.example"} <= USER_EMAILS


@pytest.mark.parametrize("path", COLLECTIONS, ids=lambda p: p.name)
def test_collection_file(path):
    meta = load_yaml(path)
    assert SLUG.match(path.stem)
    assert set(meta) <= COLLECTION_KEYS, set(meta) - COLLECTION_KEYS
    assert str(meta.get("name", "")).strip()
    assert meta.get("default_verifier") in USER_EMAILS
    assert meta.get("interval_days") in INTERVALS


@pytest.mark.parametrize("path", CARDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_card_file(path):
    meta, body = read_document(path)
    assert SLUG.match(path.stem) and path.parent.name in DEFAULT_VERIFIERS, "its collection has a yaml file"
    assert set(meta) <= CARD_KEYS, set(meta) - CARD_KEYS
    assert str(meta.get("title", "")).strip() and body.strip()
    assert meta.get("language") in LANGUAGES
    assert meta.get("verifier", DEFAULT_VERIFIERS[path.parent.name]) in USER_EMAILS
    assert meta.get("interval_days", 90) in INTERVALS
    assert meta.get("status", "verified") in STATUSES
    assert all(isinstance(tag, str) and tag for tag in meta.get("tags", []))
    assert_safe_text(body, path.name)


@pytest.mark.parametrize("path", CUSTOMERS, ids=lambda p: p.name)
def test_customer_file(path):
    meta, body = read_document(path)
    assert set(meta) <= CUSTOMER_KEYS, set(meta) - CUSTOMER_KEYS
    assert str(meta.get("name", "")).strip()
    assert meta.get("emails") or meta.get("domains")
    # Real domains would send demo mail to real people.
    for address in meta.get("emails", []) + meta.get("domains", []):
        assert str(address).endswith(".example"), address
    assert_safe_text(body, path.name)
    for fact in meta.get("facts", []):
        assert set(fact) <= FACT_KEYS, set(fact) - FACT_KEYS
        assert str(fact.get("text", "")).strip()
        assert fact.get("author", "sam@vouch.example") in USER_EMAILS
        for key in ("remind_at", "expires_at"):
            if fact.get(key) is not None:
                as_date(fact[key], f"{path.name} {key}")
        assert_safe_text(str(fact["text"]), path.name)


def test_card_titles_are_unique_within_a_collection():
    titles = Counter((p.parent.name, read_document(p)[0]["title"]) for p in CARDS)
    assert [title for title, count in titles.items() if count > 1] == []


def test_customer_emails_are_unique_across_customers():
    emails = Counter(str(e).lower() for p in CUSTOMERS for e in read_document(p)[0].get("emails", []))
    assert [email for email, count in emails.items() if count > 1] == []


def test_the_refund_card_keeps_its_promise():
    """Search and extension tests look for this card by title and by its 30 days."""
    meta, body = read_document(CONTENT / "cards" / "policies" / "refund-requests.md")
    assert meta["title"] == "Handling a refund request" and "refund within 30 days" in body


def test_the_demo_has_enough_of_everything():
    languages = Counter(read_document(p)[0]["language"] for p in CARDS)
    assert len(CARDS) >= 40 and len(COLLECTIONS) >= 4 and len(CUSTOMERS) >= 10
    assert all(languages[language] >= 5 for language in LANGUAGES), languages
    waiting = [meta for meta, _ in map(read_document, CARDS) if meta.get("status") == "unverified"]
    # The sidebar demo opens Ada's verification queue, so one of them must be hers.
    assert any(meta.get("verifier") == "ada@vouch.example" for meta in waiting)


def test_some_fact_has_already_expired():
    """The sidebar must show that a fact ran out (someone back from leave); a past date stays past."""
    expiries = [as_date(fact["expires_at"], p.name) for p in CUSTOMERS
                for fact in read_document(p)[0].get("facts", []) if fact.get("expires_at")]
    assert any(expiry < date.today() for expiry in expiries)
