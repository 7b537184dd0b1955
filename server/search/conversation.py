"""What the customer wrote in the latest message of an email, without its signature,
sign-off, legal disclaimer or the quoted earlier messages below it.

Suggest reads a conversation's rarest words, and the words around a request are often
rarer than the request's own: 'Office Manager' in a signature, a quoted reply about
another subject. Emails often arrive flattened onto one line (the sidebar reads page
text), so every marker is found inside a line too, not only at a line's start.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

MIN_WORDS_BEFORE_SIGN_OFF = 3   # 'Thanks, that worked!' opens a message, it does not end one
MIN_WORDS_LEFT = 2              # fewer, and the cleaning took the request too: keep the original
SIGNATURE_MAX_WORDS = 40        # a name, a title, a company and an address; more is a message
SIGNATURE_MAX_LOWERCASE = 1 / 3  # signatures are names and titles; prose is mostly lowercase
HEADER_MAX_CHARS = 250          # how far before its last words a reply header may begin

# Where a sentence or, for English headers that mail apps wrap, a paragraph ends. A
# period inside 'a@b.c' or after the '3' of '3. märts' ends nothing.
_SENTENCE_END = re.compile(r"[\n。！？]|[!?](?=\s)|(?<!\d)\.(?=\s)")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n|[。！？]|[!?](?=\s)|(?<!\d)\.(?=\s)")
_CLAUSE_END = re.compile(r"[\n。！？，]|[!?](?=\s)|(?<!\d)\.(?=\s)")


@dataclass(frozen=True)
class _ReplyHeader:
    """A line such as 'On Tue, 3 Mar 2026, Anna <a@b.c> wrote:' that introduces the
    quoted earlier message: the words it ends with, and what the text between them and
    the end of the sentence before must hold — where that is found, the header begins
    (`from_lead`), otherwise it begins right after that sentence."""

    ending: re.Pattern
    lead: re.Pattern
    boundary: re.Pattern = _SENTENCE_END
    from_lead: bool = False


_REPLY_HEADERS = (
    _ReplyHeader(re.compile(r"\swrote:"), re.compile(r"\bOn\s"), _PARAGRAPH_END, from_lead=True),
    _ReplyHeader(re.compile(r"\btarihinde\b(?=[^\n]{0,150}?\byazdı:)"), re.compile(r"\d")),  # Turkish
    _ReplyHeader(re.compile(r"\skirjutas:"), re.compile(r"\d")),                                # Estonian
    _ReplyHeader(re.compile(r"写道[:：]"), re.compile(r"在[^\n]{0,40}?\d"), from_lead=True),      # 在 2026年…写道：
    _ReplyHeader(re.compile(r"写道[:：]"), re.compile(r"于\s?\d"), _CLAUSE_END),                  # Anna 于2026年…写道：
)
# Lines that start the quoted earlier message on their own (Outlook's, in our languages).
_QUOTE_STARTS = re.compile(
    r"(?i)-{2,}\s*(?:original message|orijinal mesaj|özgün ileti|algne sõnum|原始邮件)\s*-{2,}"
    r"|(?s:(?:\bFrom|\bKimden|\bSaatja|发件人)\s?[:：].{1,300}?(?:\bSent|\bGönderildi|\bSaadetud|发送时间)\s?[:：])")
_SIGNATURE_LINE = re.compile(r"^--[ \t]?$", re.MULTILINE)
_DISCLAIMERS = re.compile(
    r"(?i)confidentiality notice|\bdisclaimer:|\bthis e-?mail(?: message)? and any (?:attachments|files)"
    r"|\bbu e-posta(?: mesajı)? ve (?:varsa )?ekleri|\bkäesolev e-kiri|本邮件及其附件")
# Sign-offs that close a message whatever follows them, and sign-offs that also start
# sentences ('Thanks to the update, …') and so must be followed by a comma, a line's
# end or a name.
_CLOSINGS = ("Kind regards|Best regards|Warm regards|Warmest regards|Kindest regards|Best wishes"
             "|Yours sincerely|Yours faithfully|Sincerely|Saygılarımla|Saygılarımızla|Lugupidamisega"
             "|Parimate soovidega|Parimate tervitustega|Tervitades|此致|祝好(?!运)|顺祝商祺")
_SHORT_SIGN_OFFS = ("Regards|Best|Thanks again|Thanks in advance|Thank you in advance|Many thanks|Thanks|Thank you"
           "|Cheers|Teşekkürler|Teşekkür ederim|Saygılar|[İi]yi çalışmalar|Aitäh|Tänan|Parimat|谢谢")
_DEVICE = r"Sent from my|Get Outlook for|发自我的"  # the mail app's line: always a signature
_SIGN_OFFS = re.compile(
    rf"(?i)(?<!\w)(?:(?P<device>{_DEVICE})|(?:{_CLOSINGS})(?!\w)|(?P<short>{_SHORT_SIGN_OFFS})(?!\w))")
_AFTER_SHORT_SIGN_OFF = re.compile(r"[ \t]*(?:[,，!！.。:]|\n|$)|[ \t]+(?P<next>[^\W\d_])")
_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_QUOTED_LINE = re.compile(r"^[ \t]*>.*(?:\n|$)", re.MULTILINE)


def request_text(text: str) -> str:
    """The latest message's own words: quoted lines, reply headers and what follows
    them, the signature and disclaimers dropped. The original text when that would
    leave (almost) nothing, so the request is never lost."""
    kept = _QUOTED_LINE.sub("", text.replace("\r\n", "\n"))
    cuts = [start for header in _REPLY_HEADERS for start in _header_starts(kept, header)]
    cuts += [m.start() for m in _QUOTE_STARTS.finditer(kept)]
    cuts += [m.start() for m in _SIGNATURE_LINE.finditer(kept)]
    cuts += [m.start() for m in _DISCLAIMERS.finditer(kept)]
    sign_offs = [m for m in _SIGN_OFFS.finditer(kept) if _may_sign_off(kept, m)]
    marks = sorted(cuts + [m.start() for m in sign_offs])
    cuts += [m.start() for m in sign_offs if _signature_follows(kept, m, marks)]
    kept = kept[:min(cuts, default=len(kept))].strip()
    return kept if _word_count(kept) >= MIN_WORDS_LEFT else text


def _header_starts(text: str, header: _ReplyHeader) -> list[int]:
    """Where each reply header of this kind begins: found by its last words first, then
    traced back within its sentence, so a long text costs no more than its markers."""
    starts = []
    for ending in header.ending.finditer(text):
        begin = max(0, ending.start() - HEADER_MAX_CHARS)
        ends = list(header.boundary.finditer(text, begin, ending.start()))
        begin = ends[-1].end() if ends else begin
        leads = list(header.lead.finditer(text, begin, ending.start()))
        if leads:
            starts.append(leads[-1].start() if header.from_lead else begin)
    return starts


def _may_sign_off(text: str, match: re.Match) -> bool:
    """Whether a sign-off phrase stands where a message ends: it starts a line or a
    sentence, comes after some real text, and a 'thanks' is followed by a comma, the
    line's end or a name (not 'thanks to the new export')."""
    before = text[max(0, match.start() - 200):match.start()].rstrip(" \t")  # enough to count a few words
    if before and before[-1] not in "\n.!?…。！？":
        return False
    if _word_count(before) < MIN_WORDS_BEFORE_SIGN_OFF:
        return False
    if not match.group("short"):
        return True
    end = _AFTER_SHORT_SIGN_OFF.match(text, match.end())
    return bool(end) and (not end.group("next") or end.group("next").isupper())


def _signature_follows(text: str, match: re.Match, marks: list[int]) -> bool:
    """Whether what follows a sign-off, up to the next marker, reads like a signature
    (a name, a title, a company) rather than more of the message — Turkish writers
    open with 'İyi çalışmalar,' too."""
    if match.group("device"):
        return True
    later = bisect_right(marks, match.start())
    end = marks[later] if later < len(marks) else len(text)
    words = _LETTERS.findall(text[match.end():end])
    lowercase = [w for w in words if w[0].islower()]
    return len(words) <= SIGNATURE_MAX_WORDS and len(lowercase) <= max(2, len(words) * SIGNATURE_MAX_LOWERCASE)


def _word_count(text: str) -> int:
    """Words in a text; Chinese, written without spaces, counts one word per two characters."""
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + (cjk + 1) // 2
