"""The one place Markdown becomes HTML: markdown-it-py with raw HTML off, then sanitized.

Placeholders ({{customer.first_name}}, see server/cards/placeholders.py) are an inline rule
of this parser, so they are never found inside code, and the underscore of first_name is
never emphasis. Rendered without values they are chips for the editor; with values they are
the values as text, and a name with no value stays visible, marked."""

from __future__ import annotations

import re
from collections.abc import Mapping

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline

from server.cards.placeholders import PATTERN, placeholder_name

CHIP = "placeholder"
UNFILLED = "placeholder-unfilled"


def _placeholder(state: StateInline, silent: bool) -> bool:
    """Inline rule: '{{ name }}' for a name placeholders.py knows; anything else is text."""
    if not state.src.startswith("{{", state.pos):
        return False
    match = PATTERN.match(state.src, state.pos, state.posMax)
    name = placeholder_name(match) if match else None
    if name is None:
        return False
    if not silent:
        token = state.push("placeholder", "", 0)
        token.meta = {"name": name}
        token.content = f"{{{{{name}}}}}"
    state.pos = match.end()
    return True


def _render_placeholder(_renderer, tokens, idx, _options, env) -> str:
    name = tokens[idx].meta["name"]
    shown, values = escapeHtml(tokens[idx].content), env.get("placeholder_values")
    if values is None:
        return f'<span class="{CHIP}" data-placeholder="{escapeHtml(name)}">{shown}</span>'
    if values.get(name):
        return escapeHtml(values[name])
    return f'<mark class="{UNFILLED}" data-placeholder="{escapeHtml(name)}">{shown}</mark>'


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)
_md.inline.ruler.before("emphasis", "placeholder", _placeholder)
_md.add_render_rule("placeholder", _render_placeholder)

_TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "img", "mark", "span",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"},
               "span": {"data-placeholder"}, "mark": {"data-placeholder"}}
# A span is a placeholder chip and nothing else; a mark may also be an unfilled placeholder.
_CLASSES = {"span": {"class": {CHIP}}, "mark": {"class": {UNFILLED}}}


def _placeholder_attribute(_tag: str, attribute: str, value: str) -> str | None:
    """data-placeholder only ever holds a placeholder's name."""
    if attribute != "data-placeholder":
        return value
    match = PATTERN.fullmatch(f"{{{{{value}}}}}")
    return value if match and placeholder_name(match) == value else None


def sanitize_html(html: str) -> str:
    """Keep only harmless tags and http(s)/mailto links; links open safely."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        tag_attribute_values=_CLASSES,
        attribute_filter=_placeholder_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str, values: Mapping[str, str] | None = None) -> str:
    """Markdown → sanitized HTML. Raw HTML in the source is shown as text, never run.
    Without `values` placeholders are chips; with them, filled (see the module's docstring)."""
    env = {} if values is None else {"placeholder_values": values}
    return sanitize_html(_md.render(text or "", env))


def placeholders_in(text: str) -> list[str]:
    """The placeholders the rendered text shows (not those in code), each once, in order."""
    found = [child.meta["name"] for token in _md.parse(text or "") if token.type == "inline"
             for child in _walk(token.children or []) if child.type == "placeholder"]
    return list(dict.fromkeys(found))


def _walk(tokens):
    for token in tokens:
        yield token
        yield from _walk(token.children or [])


# Code the plain-text fill leaves alone, as the renderer does: a code span, or an escaped character.
_CODE_OR_ESCAPE = re.compile(r"(?P<ticks>`+).*?(?<!`)(?P=ticks)(?!`)|\\.", re.DOTALL)


def fill_text(text: str, values: Mapping[str, str]) -> str:
    """The Markdown source with placeholders filled, for the text/plain clipboard flavour
    and text boxes; one with no value stays as written ('{{name}}'), to be filled by hand.
    Fenced and indented code, and code spans, are left as written."""
    lines = (text or "").split("\n")
    code_lines = {line for token in _md.parse(text or "") if token.type in ("fence", "code_block") and token.map
                  for line in range(*token.map)}
    out, prose = [], []
    for number, line in enumerate(lines):
        if number not in code_lines:
            prose.append(line)
            continue
        if prose:  # prose is filled a paragraph at a time: a code span may cross a line break
            out.append(_fill_prose("\n".join(prose), values))
            prose = []
        out.append(line)
    if prose:
        out.append(_fill_prose("\n".join(prose), values))
    return "\n".join(out)


def _fill_prose(text: str, values: Mapping[str, str]) -> str:
    pieces, at = [], 0
    for code in _CODE_OR_ESCAPE.finditer(text):
        pieces += [_fill_words(text[at:code.start()], values), code.group(0)]
        at = code.end()
    return "".join([*pieces, _fill_words(text[at:], values)])


def _fill_words(text: str, values: Mapping[str, str]) -> str:
    def one(match: re.Match) -> str:
        name = placeholder_name(match)
        return (values.get(name) if name else None) or match.group(0)
    return PATTERN.sub(one, text)
