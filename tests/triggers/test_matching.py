"""When a trigger fires: pure rules, no database."""

import pytest

from server.triggers.matching import Conversation, fires

CHAT = Conversation(url="https://acme.zendesk.com/agent/tickets/4411", emails=("maria@northwind.example",),
                    customer_id=7, text="We see two chargebacks on the company card since Monday.")


@pytest.mark.parametrize("kind,pattern,expected", [
    ("site", "https://*.zendesk.com/agent/*", True),
    ("site", "https://*.zendesk.com/admin/*", False),
    ("site", "HTTPS://ACME.ZENDESK.COM/*", True),
    ("customer", "7", True),
    ("customer", "8", False),
    ("domain", "northwind.example", True),
    ("domain", "example", False),
    ("words", "chargeback card", True),       # longer forms count: chargebacks
    ("words", "chargeback refund", False),
    ("words", "chargeback near card", True),
    ("words", "chargeback near monday", True),
    ("words", "company near tuesday", False),
    ("words", "near", False),
])
def test_fires(kind, pattern, expected):
    assert fires(kind, pattern, CHAT) is expected


def test_near_means_within_twelve_words():
    far = Conversation(url="", emails=(), customer_id=None,
                       text="chargeback " + "word " * 20 + "card")
    assert fires("words", "chargeback card", far)
    assert not fires("words", "chargeback near card", far)
