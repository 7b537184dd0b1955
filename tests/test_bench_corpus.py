"""scripts/benchmark's corpus: documentation HTML split into cards, written as a content folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from benchmark import sections  # noqa: E402
from benchmark.corpus import write_folder  # noqa: E402
from benchmark.queries import document_frequency, emails, query_pairs  # noqa: E402

LONG = " ".join(f"Sentence {n} says something about event loops and their tasks." for n in range(20))
PAGE = f"""<html><body><div class="sphinxsidebar"><h3>Navigation</h3><p>not content at all, only links</p></div>
<div role="main"><h1>asyncio — Asynchronous I/O¶</h1><p>Intro before any section is not a card.</p>
<h2>1.2. Running Tasks¶</h2><p>{LONG}</p><pre>asyncio.run(main())</pre><p>{LONG}</p>
<div class="admonition note"><p class="admonition-title">Note</p><p>Tasks are scheduled on the loop soon after they are made, and run when the loop is free.</p></div>
<h3>Tiny¶</h3><p>Too short.</p>
<dl class="py function"><dt id="asyncio.gather">awaitable asyncio.gather(*aws)¶</dt>
<dd><p>Run awaitable objects in the aws sequence concurrently, and return their results in order.</p></dd></dl>
</div></body></html>"""


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "library" / "asyncio.html"
    path.parent.mkdir()
    path.write_text(PAGE)
    return path


def test_sections_follow_headings_and_api_entries(page: Path):
    title, found = sections.page_sections(page)
    assert title == "asyncio — Asynchronous I/O"
    assert [s.heading for s in found] == ["Running Tasks", "Tiny", "asyncio.gather()"]
    running = found[0].blocks
    assert ("code", "asyncio.run(main())") in running
    assert all("Note" != text for _, text in running)  # the admonition's label is not prose
    assert not any("Navigation" in text or "only links" in text for s in found for _, text in s.blocks)


def test_long_sections_split_into_titled_cards_and_short_ones_dropped(page: Path):
    _, found = sections.page_sections(page)
    running = list(sections.section_cards(found[0]))
    assert len(running) == 3
    assert [title for title, _ in running] == ["Running Tasks",
                                                "Running Tasks — Sentence 0 says something about event loops",
                                                "Running Tasks — Tasks are scheduled on the loop soon"]
    assert "```\nasyncio.run(main())\n```" in running[0][1]
    assert list(sections.section_cards(found[1])) == []
    assert [title for title, _ in sections.section_cards(found[2])] == ["asyncio.gather()"]


def test_folder_is_in_the_seed_format_with_queries_that_have_answers(page: Path, tmp_path: Path):
    _, found = sections.page_sections(page)
    cards = [sections.Card(slug=f"python-{n:06d}", collection="python-library", title=title, body=body,
                           tag="asyncio", lead="asyncio")
             for n, (title, body) in enumerate(card for s in found for card in sections.section_cards(s))]
    folder = tmp_path / "content"
    write_folder(cards, folder)
    users = yaml.safe_load((folder / "users.yaml").read_text())
    assert sorted(u["role"] for u in users) == ["admin", "member"]
    assert yaml.safe_load((folder / "collections" / "python-library.yaml").read_text())["default_verifier"]
    text = (folder / "cards" / "python-library" / "python-000003.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["title"] == "asyncio.gather()" and meta["status"] == "verified"
    frequency = document_frequency(cards)
    pairs = query_pairs(cards, frequency, 10)
    assert pairs and all(typed.answer == whole.answer and whole.text.startswith(typed.text) for whole, typed in pairs)
    mail = emails(cards, 1)[0]
    assert mail.answer in {c.slug for c in cards} and mail.text.count("\n\n") >= 3
