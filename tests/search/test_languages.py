"""Each language finds its cards by word forms, from real sentences."""

import pytest
from whoosh.query import Prefix

from server.search import service
from server.search.analysis import detect_language as detect
from server.search.query import build_query, parse_user_query

CARDS = {
    "refund-en": ("Handling a refund request", "Customers can get a full refund within 30 days of a charge.", "en"),
    "outage-en": ("Talking to customers during an outage", "Post on the status page every 30 minutes.", "en"),
    "iade-tr": ("İade talepleri", "Müşteri ödemeden sonraki 30 gün içinde iade isteyebilir.", "tr"),
    "kesinti-tr": ("Kesinti sırasında iletişim", "Durum sayfasını her yarım saatte bir güncelleyin.", "tr"),
    "istanbul-tr": ("İstanbul ofisi", "Faturalar İstanbul ofisinden ISPARTA şubesine gönderilir.", "tr"),
    "tagasi-et": ("Tagasimaksete taotlused", "Klient saab raha tagasi 30 päeva jooksul pärast makset.", "et"),
    "arve-et": ("Arvete vaidlustamine", "Kui klient vaidlustab arve, loe arve temaga koos läbi.", "et"),
    "tuikuan-zh": ("如何处理退款申请", "所有付费套餐的客户在付款后三十天内都可以申请全额退款。", "zh"),
    "zhongduan-zh": ("服务中断时如何与客户沟通", "查看状态页，并在每一段受影响的对话中附上链接。", "zh"),
}


@pytest.fixture
def index(factory):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    ids = {key: factory.card(kb, expert, title=t, body=b, language=lang).id for key, (t, b, lang) in CARDS.items()}
    factory.ids = ids
    return factory


def top(factory, text):
    hits, _ = service.search(factory.index, text=text, readable=None, limit=3)
    keys = {v: k for k, v in factory.ids.items()}
    return [keys[h.card_id] for h in hits]


@pytest.mark.parametrize("query,expected", [
    ("How do I refund a customer who was charged twice?", "refund-en"),
    ("refunds", "refund-en"),
    ("is there an outage right now", "outage-en"),
    # Turkish: suffixed forms find the bare form, and the other way round.
    ("Müşteri iadesini ne zaman alır?", "iade-tr"),
    ("iadeler", "iade-tr"),
    ("Dünkü kesintiden etkilendik", "kesinti-tr"),
    ("Kesintiler ne zaman bitecek?", "kesinti-tr"),  # plural of a word Snowball stems unevenly
    ("ödeme", "iade-tr"),  # bare word, found in its inflected form 'ödemeden'
    # Turkish casing both ways: İ/i and I/ı.
    ("İSTANBUL", "istanbul-tr"),
    ("istanbul'dan", "istanbul-tr"),
    ("ısparta", "istanbul-tr"),
    # Estonian: case endings and plural find the singular.
    ("tagasimakse", "tagasi-et"),
    ("Kuidas arveid vaidlustada?", "arve-et"),
    # Chinese without spaces.
    ("客户想要退款怎么办", "tuikuan-zh"),
    ("服务中断", "zhongduan-zh"),
])
def test_sentence_finds_its_card(index, query, expected):
    assert top(index, query)[0] == expected


def test_typo_in_a_longer_word_is_forgiven(index):
    assert top(index, "refumd")[0] == "refund-en"
    assert top(index, "outahe")[0] == "outage-en"


def test_prefix_of_the_word_being_typed(index):
    assert top(index, "outa")[0] == "outage-en"


def test_a_finished_question_or_word_is_not_a_prefix(index):
    # "outa?" and "outa " are complete words, which no card contains.
    assert top(index, "outa?") == []
    assert top(index, "outa ") == []


def chinese_prefixes(text):
    built = build_query(parse_user_query(text))
    return {leaf.text for leaf in built.leaves() if isinstance(leaf, Prefix) and leaf.fieldname.endswith("_zh")}


def test_only_the_last_segment_of_chinese_text_is_a_prefix():
    # Without spaces a whole Chinese sentence is one run; only its end is being typed.
    assert chinese_prefixes("什么为Merits在NSFNET的角色做好了准备") == set()
    assert chinese_prefixes("状态页的Merits") == {"merit"}  # English among Chinese is stemmed


def test_quoted_phrase_must_match_as_a_phrase(index):
    assert top(index, '"status page"') == ["outage-en"]
    assert top(index, '"page status"') == []


@pytest.mark.parametrize("query,together,scattered", [
    # Both cards hold each word once and are as long; without nearness they tie, and
    # the older card (the scattered one) would come first.
    ("How long does a bank transfer take?",
     ("Paying for a plan", "A bank transfer takes two working days to reach us."),
     ("Moving to a plan", "Your bank may take a fee; we transfer your days.")),
    ("数据导出要多久？",
     ("付款方式", "数据导出通常在一小时内完成。"),
     ("保留期限", "数据保存三年，之后可以导出。")),
])
def test_query_words_standing_together_rank_above_scattered_ones(factory, query, together, scattered):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    apart = factory.card(kb, expert, title=scattered[0], body=scattered[1], language=detect(query))
    near = factory.card(kb, expert, title=together[0], body=together[1], language=detect(query))
    hits, _ = service.search(factory.index, text=query, readable=None)
    assert [h.card_id for h in hits][:2] == [near.id, apart.id]


def test_mixed_language_cards_are_found_in_each_of_their_languages(factory):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    english = factory.card(kb, expert, title="Replying to customers in China", language="en",
                           body="Start with a greeting in Chinese: 您好，感谢您联系我们的客服团队。Then answer in English.")
    chinese = factory.card(kb, expert, title="处理 API 错误", language="zh",
                           body="如果客户的 Webhooks 一直失败，请先检查签名密钥。")
    turkish_in_english = factory.card(kb, expert, title="Words our Turkish customers use", language="en",
                                      body="When a customer writes İADE they are asking for a refund.")

    def found(text):
        return [h.card_id for h in service.search(factory.index, text=text, readable=None)[0]]

    assert found("联系客服团队")[0] == english.id          # Chinese inside an English card
    assert found("webhook signing") == [chinese.id]      # English among Chinese, by word form
    assert found("iade") == [turkish_in_english.id]      # a Turkish capital İ, typed lower case
