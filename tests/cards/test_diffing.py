"""The diff shown between two versions of a card: changed words marked, text escaped."""

from server.cards.diffing import card_text, diff_lines


def test_a_changed_word_is_marked_inside_its_line():
    lines = diff_lines(["Refunds within 30 days."], ["Refunds within 14 days."])
    assert [line.kind for line in lines] == ["del", "add"]
    assert "<del>30</del>" in lines[0].html and "<ins>14</ins>" in lines[1].html
    assert lines[0].html.startswith("Refunds within ")


def test_markup_in_a_card_is_shown_as_text():
    lines = diff_lines(["a"], ["<script>alert(1)</script>"])
    assert all("<script>" not in line.html for line in lines)
    assert any("&lt;script&gt;" in line.html for line in lines)


def test_long_unchanged_stretches_are_folded_but_context_stays():
    old = [f"line {n}" for n in range(30)]
    new = list(old)
    new[15] = "line fifteen"
    lines = diff_lines(old, new)
    kinds = [line.kind for line in lines]
    assert kinds == ["same"] * 4 + ["del", "add"] + ["same"] * 4
    assert [line.html for line in lines if line.kind == "same"] == [
        "…", "line 12", "line 13", "line 14", "line 16", "line 17", "line 18", "…"]


def test_chinese_changes_are_marked_per_character():
    lines = diff_lines(["退款需要三天"], ["退款需要五天"])
    assert "<del>三</del>" in lines[0].html and "<ins>五</ins>" in lines[1].html


def test_card_text_puts_the_title_first_and_tags_last():
    assert card_text("Title", "Body", ["a", "b"]) == ["# Title", "", "Body", "", "Tags: a, b"]
    assert diff_lines(card_text("T", "x"), card_text("T", "x")) == [
        type(diff_lines(["a"], ["a"])[0])("same", line) for line in ["# T", "", "x"]]
