"""Real prose from Debian's HTML documentation, split into knowledge cards.

A page is read in document order: every h2, h3 or h4 heading, and every API entry of
Sphinx's (`dl.py > dt`: a function, class, method…), starts a section whose body is the
paragraphs, list items and code blocks up to the next one. A section longer than
CARD_WORDS is split at paragraph boundaries into several cards, the way a team would
write short cards: the first keeps the heading as its title, each later one is titled
by the heading and the opening words of its own first paragraph (text from the page,
never a number appended)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html

CARD_WORDS = 120        # a card's body grows to about this many words before a new card starts
MIN_WORDS = 12          # a section with less to say is not a card
MAX_BLOCK_WORDS = 400   # a paragraph longer than this is cut (a card is not a chapter)
MAX_CODE_LINES = 20
TITLE_CHARS = 140
LEAD_WORDS = 7

SKIPPED_PAGES = re.compile(r"(^|/)(genindex|py-modindex|modindex|search|contents|index|bookindex|copyright|print|"
                           r"license|about|bugs|download|biblio|legalnotice)(-[^/]*)?\.html$")
SECTION_NUMBER = re.compile(r"^(?:[A-Z]?\d+(?:\.\d+)*\.?|[IVX]+\.)\s+")
PERMALINK = re.compile(r"[¶#]\s*$")
PARTS = ("h1", "h2", "h3", "h4", "p", "pre", "dt", "li")
NOT_CONTENT = ("navheader", "navfooter", "related", "sphinxsidebar", "footer", "toctree-wrapper", "contents")


@dataclass(frozen=True)
class Card:
    slug: str
    collection: str
    title: str
    body: str
    tag: str
    lead: str  # the page's own title, for an email's subject


@dataclass
class _Section:
    heading: str
    blocks: list[tuple[str, str]]  # (kind, text): kind is "p" or "code"


def clean_line(text: str) -> str:
    return re.sub(r"\s+", " ", PERMALINK.sub("", text.replace("¶", ""))).strip()


def clean_heading(text: str) -> str:
    heading = SECTION_NUMBER.sub("", clean_line(text))
    if len(heading) > TITLE_CHARS:
        heading = heading[:TITLE_CHARS].rsplit(" ", 1)[0]
    return heading


def _main_content(root) -> object:
    for path in ("//div[@role='main']", "//main", "//div[@id='docContent']", "//div[contains(@class,'body')]",
                 "//body"):
        found = root.xpath(path)
        if found:
            main = found[0]
            break
    else:
        main = root
    for div in main.xpath("|".join(f".//*[contains(concat(' ', @class, ' '), ' {c} ')]" for c in NOT_CONTENT)):
        div.drop_tree()
    return main


def _api_title(dt) -> str:
    """An API entry's name as a reader types it: `asyncio.gather()`, `str.split()`."""
    name = dt.get("id") or ""
    if not re.fullmatch(r"[A-Za-z_][\w.]*", name):
        return clean_heading(dt.text_content())
    kind = " ".join(dt.getparent().get("class", "").split()[1:2])
    return f"{name}()" if kind in ("function", "method", "classmethod", "staticmethod") else name


def _is_api_entry(dt) -> bool:
    """Sphinx's description of one object (Python or C): `<dl class="py function"><dt id=…>`."""
    return bool(dt.get("id")) and dt.getparent().get("class", "").split()[:1] in (["py"], ["c"], ["cpp"])


def _block(element) -> tuple[str, str] | None:
    tag = element.tag
    if "admonition-title" in element.get("class", "") or element.xpath("ancestor::*[@class='seealso']"):
        return None  # "Note", "See also": labels, not prose
    if tag == "pre":
        lines = element.text_content().rstrip().splitlines()[:MAX_CODE_LINES]
        return ("code", "\n".join(lines)) if lines else None
    if tag == "li" and element.xpath(".//p|.//pre|.//li"):
        return None  # its paragraphs come on their own
    text = clean_line(element.text_content())
    words = text.split()
    if len(words) > MAX_BLOCK_WORDS:
        text = " ".join(words[:MAX_BLOCK_WORDS]) + " …"
    if not text:
        return None
    return ("p", f"- {text}" if tag == "li" else text)


def page_sections(path: Path) -> tuple[str, list[_Section]]:
    """The page's title and its sections, in order."""
    raw = path.read_bytes()
    if not raw.strip():
        return "", []
    root = lxml.html.document_fromstring(raw, parser=lxml.html.HTMLParser(encoding="utf-8"))
    main = _main_content(root)
    page_title, sections, current = "", [], None
    for element in main.iter(*PARTS):
        tag = element.tag
        if tag == "h1":
            page_title = page_title or clean_heading(element.text_content())
        elif tag in ("h2", "h3", "h4") or (tag == "dt" and _is_api_entry(element)):
            current = _Section(_api_title(element) if tag == "dt" else clean_heading(element.text_content()), [])
            sections.append(current)
        elif current is not None and tag != "dt":
            block = _block(element)
            if block:
                current.blocks.append(block)
    return page_title, [s for s in sections if s.heading]


def _groups(blocks: list[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    """Runs of blocks of about CARD_WORDS words; a new run starts only at a paragraph."""
    group, words = [], 0
    for kind, text in blocks:
        if group and kind == "p" and words >= CARD_WORDS:
            yield group
            group, words = [], 0
        group.append((kind, text))
        words += len(text.split())
    if group:
        yield group


def _markdown(group: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"```\n{text}\n```" if kind == "code" else text for kind, text in group)


def _lead(group: list[tuple[str, str]]) -> str:
    first = next(text for kind, text in group if kind == "p")
    words = re.split(r"(?<=[.!?:;])\s", first.lstrip("- "), maxsplit=1)[0].split()[:LEAD_WORDS]
    return " ".join(words).rstrip(".,;:!?")


def section_cards(section: _Section) -> Iterator[tuple[str, str]]:
    """(title, body) of each card a section makes."""
    for n, group in enumerate(_groups(section.blocks)):
        prose = sum(len(text.split()) for kind, text in group if kind == "p")
        if prose < MIN_WORDS:
            continue
        title = section.heading if n == 0 else f"{section.heading} — {_lead(group)}"
        yield title[:TITLE_CHARS * 2], _markdown(group)


def html_pages(folder: Path) -> list[Path]:
    pages = [p for p in sorted(folder.rglob("*.html"))
             if not SKIPPED_PAGES.search(str(p.relative_to(folder))) and "_" not in p.relative_to(folder).parts[0][:1]]
    return pages
