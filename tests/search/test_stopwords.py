"""Everyday words never make a conversation about something; topical words always can."""

import pytest

from server.search.stopwords import everyday


@pytest.mark.parametrize("word", [
    "Thanks", "tried", "tries", "next", "weeks", "attached", "October",          # English, any form
    "Merhaba", "teşekkürler", "geçen", "hafta", "konuşabilir",                    # Turkish
    "Tere", "aitäh", "homme", "nädalal",                                          # Estonian
    "谢谢", "下周", "打电话",                                                        # Chinese
])
def test_everyday_words(word):
    assert everyday(word)


@pytest.mark.parametrize("word", [
    # Topical words whose stem in another language's stemmer is short or looks everyday:
    # 'data' is Turkish 'da', 'veri' (Turkish: data) is English 'very'.
    "data", "veri", "refund", "outage", "invoice", "chargebacks", "kesintiler", "iade", "fatura",
    "arve", "katkestus", "tagasimakse", "退款", "服务中断",
])
def test_topical_words(word):
    assert not everyday(word)
