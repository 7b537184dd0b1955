"""CSV that spreadsheet programs open safely and read right: one place for the rules the
analytics reports and the audit log's download share."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

BOM = "\ufeff"  # so spreadsheet programs read Chinese, Turkish and Estonian text as UTF-8


def cell(value) -> str | int | float:
    """A spreadsheet must not run a cell as a formula: text starting with = + - @ (or a tab or
    carriage return, which some programs skip before looking) gets a leading quote."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (int, float)) or value is None:
        return "" if value is None else value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(rows: Iterable[Iterable]) -> str:
    """Rows as CSV lines (quoting by the csv module, CRLF line ends), every value through cell()."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()
