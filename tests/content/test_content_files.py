"""Every starter content file is well formed, and together they cover what the demo needs."""

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from server.content.files import read_document, read_yaml
from tests.html_checks import runnable_parts

CONTENT = Path(__file__).resolve().parents[2] / "content"
CARDS = sorted((CONTENT / "cards").glob("*/*.md"))
CUSTOMERS = sorted((CONTENT / "customers").glob("*.md"))
COLLECTIONS = sorted((CONTENT / "collections").glob("*.yaml"))
USERS = {u["email"] for u in yaml.safe_load((CONTENT / "users.yaml").read_text())}
LANGUAGES = {"en", "tr", "zh", "et"}
INTERVALS = {7, 14, 30, 90, 180, 365, None}
CARD_KEYS = {"title", "tags", "language", "verifier", "interval_days", "status"}
CUSTOMER_KEYS = {"name", "emails", "domains", "external_ids", "facts"}
FACT_KEYS = {"text", "author", "pinned", "remind_at", "expires_at"}


@pytest.mark.parametrize("path", CARDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_card_file(path):
    doc = read_document(path)
    assert set(doc.meta) <= CARD_KEYS, set(doc.meta) - CARD_KEYS
    assert str(doc.meta.get("title", "")).strip() and doc.body.strip()
    assert doc.meta.get("language") in LANGUAGES
    assert doc.meta.get("verifier", "ada@vouch.example") in USERS
    assert doc.meta.get("interval_days", 90) in INTERVALS
    assert doc.meta.get("status", "verified") in {"verified", "unverified"}
    assert all(isinstance(t, str) and t for t in doc.meta.get("tags", []))
    assert (CONTENT / "collections" / f"{path.parent.name}.yaml").exists()
    assert "<" not in doc.body and "javascript:" not in doc.body.lower()


@pytest.mark.parametrize("path", COLLECTIONS, ids=lambda p: p.name)
def test_collection_file(path):
    meta = read_yaml(path)
    assert set(meta) <= {"name", "description", "default_verifier", "interval_days"}
    assert meta["name"] and meta["default_verifier"] in USERS and meta.get("interval_days") in INTERVALS


@pytest.mark.parametrize("path", CUSTOMERS, ids=lambda p: p.name)
def test_customer_file(path):
    doc = read_document(path)
    assert set(doc.meta) <= CUSTOMER_KEYS and doc.meta["name"]
    assert doc.meta.get("emails") or doc.meta.get("domains")
    for fact in doc.meta.get("facts", []):
        assert set(fact) <= FACT_KEYS and str(fact["text"]).strip()
        assert fact.get("author", "sam@vouch.example") in USERS
        for key in ("remind_at", "expires_at"):
            assert fact.get(key) is None or isinstance(fact[key], (date, datetime)), (key, fact[key])
        assert runnable_parts(str(fact["text"])) == []


def test_titles_unique_per_collection_and_addresses_unique_across_customers():
    titles = Counter((p.parent.name, read_document(p).meta["title"]) for p in CARDS)
    assert [t for t, n in titles.items() if n > 1] == []
    emails = Counter(e.lower() for p in CUSTOMERS for e in read_document(p).meta.get("emails", []))
    assert [e for e, n in emails.items() if n > 1] == []
    assert all(e.endswith(".example") for e in emails)


def test_the_demo_has_enough_of_everything():
    languages = Counter(read_document(p).meta["language"] for p in CARDS)
    assert len(CARDS) >= 40 and len(COLLECTIONS) >= 4 and len(CUSTOMERS) >= 10
    assert all(languages[lang] >= 5 for lang in LANGUAGES), languages
    facts = [f for p in CUSTOMERS for f in read_document(p).meta.get("facts", [])]
    today = date(2026, 11, 23)
    expiry = [f["expires_at"] for f in facts if f.get("expires_at")]
    assert any(e < today for e in expiry), "a fact that has expired (someone back from leave)"
    assert any(f.get("remind_at") and f["remind_at"] > today for f in facts), "a fact with a reminder to come"
