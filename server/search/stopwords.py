"""Words that never make a conversation 'about' something (used by suggest only; the
index keeps them so quoted phrases still match).

Two kinds: function words (Whoosh's lists, plus Estonian and Chinese), and the
everyday words of support conversations in each language — greetings and thanks,
pronouns, auxiliaries, common verbs (try, send, call, work, help), adverbs (still,
again, soon), words that say when rather than what (yesterday, next week, October),
and the words every ticket has (question, problem, team). A knowledge base of a few
dozen cards cannot learn from document frequencies that these are common, so we say
it. Words are compared by stem in their language, so 'tried' and 'tries' go with 'try'.
"""

from __future__ import annotations

from whoosh.lang.stopwords import stoplists

from server.search.analysis import stem_en, stem_et, stem_tr, turkish_lower

_ENGLISH = """
hi hello hey dear greetings thanks thank thx cheers regards best kind kindly please sorry
apologies apologize welcome appreciate great good nice fine ok okay yes yeah yep sure cool awesome
wonderful perfect lovely happy glad bye goodbye wish
team everyone guys folks someone somebody anyone anybody everybody ones us mine
could would might must may shall can will cannot
get got gets getting go goes going went gone come came coming make made makes making take took
taken know knew known think thought see saw seen look looked looking want wanted wants need needed
needs try tried tries trying let lets say said says tell told ask asked asking call called calls
calling talk talked talking speak spoke send sent sending reply replied write wrote written give
gave given keep kept put use used using find found work worked works working start started stop
stopped happen happened hope hoped wonder wondering mean meant feel felt seem seems check checked
wait waiting waited like liked love help helped helping do done show showed fix fixed attach
attached attachment follow following reach touch forward share update updates updated regarding
again still already yet also just really actually maybe perhaps probably quite much many lot lots
little bit quick quickly soon later early late right currently recently anyway though although
however else ever never always sometimes often usually next last previous first second third
twice new old same different another whole every everything something anything nothing thing things
stuff way well back away around ago long short big small asap possible able
today tonight tomorrow yesterday day days week weeks weekend month months year years morning
afternoon evening night hour hours minute minutes moment time times
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december
question questions issue issues problem problems matter request note email mail message support
one two three four five six seven eight nine ten dozen hundred
"""

_TURKISH = """
merhaba merhabalar selam selamlar günaydın iyi günler akşamlar teşekkür teşekkürler teşekkürle sağ
ol olun rica lütfen kolay gelsin saygılar saygılarımla sevgiler hoşça kal görüşürüz tamam evet
hayır peki tabii tabi elbette memnun
ben sen biz siz onlar beni bana benim bizim bize bizi sizin size sizi sizinle onun ona onu onlara
kendi herkes biri birisi
yapmak yaptım yaptık yapabilir olmak oldu olur olabilir olacak var yok değil
etmek ettim ederim etti istiyorum istiyoruz istedim istemek ister gelmek geldi gitmek gitti almak
bakmak baktım bakabilir görmek gördüm söylemek söyledim demek dedim konuşmak
konuşabilir konuşalım aramak aradım aradık yazmak yazdım göndermek gönderdim gönderebilir
denemek denedim çalışmak çalışıyor çalışmıyor bilmek biliyorum bekliyorum beklemek yardım
yardımcı bitmek bitecek bitti başlamak başladı düzelmek düzelecek lazım gerek
mı mi mu mü mısınız misiniz musunuz müsünüz
şimdi hemen tekrar yine hâlâ hala zaten artık bile sadece biraz gerçekten sonra önce yakında
geç erken hızlı
bugün yarın dün hafta haftaya ay yıl sene gün saat dakika sabah öğle akşam gece zaman
pazartesi salı çarşamba perşembe cuma cumartesi pazar ocak şubat mart nisan mayıs haziran
temmuz ağustos eylül ekim kasım aralık geçen gelecek önümüzdeki
sorun soru konu mesaj posta ekip destek
bir iki üç dört beş altı yedi sekiz dokuz on
"""

_ESTONIAN = """
ja ning ka on ei see et kui mis kes mida ma sa ta me te nad mina sina tema meie teie nemad
oli olen oled oleme olete olid olla olnud saab saa siis aga või kuid nii veel juba
seda selle sellest sellega mu minu su sinu oma pole ole kas välja ära üle alla pärast enne
tere tervist head hea päeva õhtut aitäh tänan täname tänu palun vabandust vabandame
lugupidamisega parimat jah okei selge muidugi
mind mulle meid meile teid teile neid neile nende need
oleks saan sain saaks teen tegin teha tehtud tahan tahaksin tahame soovin soovime
vajan vajame proovisin proovisime proovida helistasin helistada rääkida kirjutasin kirjutada
saatke saatsin saata vaatasin vaadata tean arvan ootan ootame aidata aitate töötab tööta
küsin küsida öelda läks tuli alustada lõppeb
uuesti jälle ikka ikkagi kohe nüüd praegu hiljem varsti ainult lihtsalt väga palju natuke
siin seal kus millal miks kuidas
täna homme eile nädal nädala nädalal järgmine järgmisel eelmine eelmisel kuu aasta päev
hommik õhtu tund minut kord korda
esmaspäev teisipäev kolmapäev neljapäev reede laupäev pühapäev jaanuar veebruar märts aprill
mai juuni juuli august september oktoober november detsember
küsimus probleem mure kiri sõnum meeskond abi asi asjad
üks kaks kolm neli viis kuus seitse kaheksa üheksa kümme
"""

_CHINESE = """
的 了 是 在 我 你 他 她 它 我们 你们 他们 这 那 和 与 及 或 就 都 也 还 又 很 吗 呢 吧 啊 把 被
让 给 对 从 到 为 以 之 其 而 但 如果 因为 所以 可以 一个 没有 什么 怎么 这个 那个 请 您 谢谢
你好 您好 大家好 感谢 多谢 麻烦 请问 不好意思 抱歉 对不起 辛苦 好的 能 能否 能不能 是否
是不是 大家 这些 那些 怎么样 为什么 哪里 一下 一些 有点 已经 还是 仍然 依然 再次 现在 目前
刚才 马上 尽快 今天 明天 昨天 上周 下周 本周 这周 周末 上个月 下个月 这个月 本月 今年 去年
时候 时间 小时 分钟 早上 上午 下午 晚上 星期一 星期二 星期三 星期四 星期五 周一 周二 周三
周四 周五 一切 正常 问题 帮 帮忙 帮助 想 想要 需要 要 打算 希望 试 试过 尝试 打电话 电话
联系 聊 聊聊 说 告诉 问 看 看看 知道 觉得 发 发送 做 用 使用 收到 回复 邮件 消息 附件 团队
客服 再 一直 还有 不过 然后 一次 两次 第一 第二
"""

_LISTS = {
    "en": (_ENGLISH.split(), str.lower, stem_en),
    "tr": (_TURKISH.split(), turkish_lower, stem_tr),
    "et": (_ESTONIAN.split(), str.lower, stem_et),
}
# Stems shorter than this stand for too many words (Turkish 'kez' and 'kesin' both
# stem to 'ke'), and in another language's stemmer a topical word can land on a short
# everyday stem ('data' → 'da'); such words are everyday only as written.
MIN_STEM = 3

# Every everyday word as written, in any language (Chinese has no word forms).
STOPWORDS = frozenset(w for words, lower, _ in _LISTS.values() for w in map(lower, words)) \
    | frozenset(stoplists["en"]) | frozenset(stoplists["tr"]) | frozenset(_CHINESE.split())
_STEMS = {language: frozenset(s for s in (stem(lower(w)) for w in words) if len(s) >= MIN_STEM)
          for language, (words, lower, stem) in _LISTS.items()}


def everyday(word: str) -> bool:
    """Whether a conversation's word (any case, any form) is an everyday word in one of
    our languages, and so no evidence of what the conversation is about."""
    if word.lower() in STOPWORDS or turkish_lower(word) in STOPWORDS:
        return True
    return any(stem(lower(word)) in _STEMS[language] for language, (_, lower, stem) in _LISTS.items())
