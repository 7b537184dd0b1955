"""The trivial-edit rule: formatting, whitespace and punctuation keep a card verified;
anything that changes words (numbers and links included) does not."""

import pytest

from server.cards.wording import changes_words

BODY = "Refunds within **30 days**: see [the policy](https://help.lumen.example/refunds)."


@pytest.mark.parametrize("new", [
    "Refunds within 30 days: see [the policy](https://help.lumen.example/refunds).",       # bold removed
    "Refunds  within\n**30 days**:   see [the policy](https://help.lumen.example/refunds)",  # spaces, full stop
    "Refunds within _30 days_; see [the policy](https://help.lumen.example/refunds)!",     # emphasis, punctuation
    "- Refunds within **30 days**: see [the policy](https://help.lumen.example/refunds).", # list marker
    "## Refunds within **30 days**: see [the policy](https://help.lumen.example/refunds).",  # heading
    "REFUNDS within **30 days**: see [the policy](https://help.lumen.example/refunds).",   # case
])
def test_formatting_only_keeps_trust(new):
    assert not changes_words("Refunds", BODY, "Refunds", new)


@pytest.mark.parametrize("new", [
    "Refunds within **14 days**: see [the policy](https://help.lumen.example/refunds).",    # a number
    "Refunds within **30 days**: see [the policy](https://help.lumen.example/returns).",    # the link's target
    "Refunds within **30 days**: read [the policy](https://help.lumen.example/refunds).",   # the link's text
    "No refunds within **30 days**: see [the policy](https://help.lumen.example/refunds).", # a word added
    "Refunds within **30**: see [the policy](https://help.lumen.example/refunds).",          # a word removed
])
def test_changed_words_need_the_expert(new):
    assert changes_words("Refunds", BODY, "Refunds", new)


def test_title_counts_too():
    assert changes_words("Refunds", BODY, "Returns", BODY)
    assert not changes_words("Refunds!", BODY, "  refunds ", BODY)


def test_chinese_without_spaces():
    assert not changes_words("退款", "客户在三十天内可以申请全额退款。", "退款", "客户在三十天内，可以申请全额退款！")
    assert changes_words("退款", "客户在三十天内可以申请全额退款。", "退款", "客户在十四天内可以申请全额退款。")


def test_turkish_casing_is_only_casing():
    assert not changes_words("İade", "İADE talepleri", "iade", "iade talepleri")
    assert changes_words("İade", "iade talepleri", "İade", "iade talebi")
