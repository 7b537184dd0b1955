"""Function words that never make a conversation 'about' something (used by suggest only;
the index keeps them so quoted phrases still match)."""

from __future__ import annotations

from whoosh.lang.stopwords import stoplists

_ESTONIAN = """
ja ning ka on ei see et kui mis kes mida ma sa ta me te nad mina sina tema meie teie nemad
oli olen oled oleme olete olid olla olnud saab saa siis aga või kuid ning nii veel juba
seda selle sellest sellega mu minu su sinu oma pole ole kas välja ära üle alla pärast enne
""".split()

_CHINESE = """
的 了 是 在 我 你 他 她 它 我们 你们 他们 这 那 和 与 及 或 就 都 也 还 又 很 吗 呢 吧 啊 把 被
让 给 对 从 到 为 以 之 其 而 但 如果 因为 所以 可以 一个 没有 什么 怎么 这个 那个 请 您 谢谢
""".split()

STOPWORDS = frozenset(stoplists["en"]) | frozenset(stoplists["tr"]) | frozenset(_ESTONIAN) | frozenset(_CHINESE) \
    | frozenset("hi hello thanks thank regards dear please could would hey".split())
