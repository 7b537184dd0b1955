"""One-line fields (names, titles, reasons) are cleaned the same way everywhere."""

import pytest

from server.errors import Invalid
from server.text import one_line, required_line


def test_one_line_collapses_whitespace_and_drops_nul():
    assert one_line("  Northwind\n\tTraders\x00 ") == "Northwind Traders"
    assert one_line(None) == ""


@pytest.mark.parametrize("value,message", [("   \n ", "empty"), ("x" * 11, "long")])
def test_required_line_says_what_is_wrong(value, message):
    with pytest.raises(Invalid) as raised:
        required_line(value, max_chars=10, code="invalid_name", missing="empty", too_long="long")
    assert str(raised.value) == message and raised.value.code == "invalid_name"
