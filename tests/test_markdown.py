"""The one Markdown renderer: formatting kept, anything that could run removed."""

import pytest

from server.markdown import render_markdown
from tests.html_checks import runnable_parts

HOSTILE = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    "<iframe src=https://evil.example></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "[x](vbscript:msgbox(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_nothing_runnable(source):
    assert runnable_parts(render_markdown(source)) == []


def test_formatting_links_and_tables_survive():
    html = render_markdown("**bold** _it_ `code`\n\n- one\n- two\n\n[docs](https://help.lumen.example/a)\n\n"
                           "| a | b |\n|---|---|\n| 1 | 2 |")
    for fragment in ["<strong>bold</strong>", "<em>it</em>", "<code>code</code>", "<li>one</li>", "<td>1</td>"]:
        assert fragment in html
    assert '<a href="https://help.lumen.example/a" rel="noopener noreferrer nofollow">docs</a>' in html


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;hi&lt;/b&gt;" in render_markdown("<b>hi</b>")


def test_empty_and_none():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
