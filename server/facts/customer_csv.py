"""Reading customers from CSV (a CRM's export) into the rows server/facts/bulk.py upserts.

The layout is in docs/content-format.md: a header row naming the columns (any order, any case);
name is required; emails, domains and handles hold several values; external_id:KEY columns
hold the ids another system knows the customer by; facts holds one quick fact per line.
Columns Vouch does not know are ignored and named in the report."""

from __future__ import annotations

import csv
import io
import json
import re

from server.errors import Invalid

MAX_BYTES = 5_000_000
_SEVERAL = re.compile(r"[\s,;]+")
_HANDLES = re.compile(r"[;\n]+")
_EXTERNAL = "external_id:"
ALIASES = {"email": "emails", "domain": "domains", "handle": "handles", "fact": "facts", "pinned_fact": "pinned_facts",
           "company": "name", "customer": "name", "note": "notes"}
KNOWN = {"name", "emails", "domains", "handles", "notes", "facts", "pinned_facts"}


def _column(header: str) -> str:
    name = " ".join((header or "").split()).lower()
    if name.startswith(_EXTERNAL):
        return _EXTERNAL + name[len(_EXTERNAL):].strip()
    name = name.replace(" ", "_")
    return ALIASES.get(name, name)


def _row(cells: dict[str, str]) -> dict:
    entry: dict = {"name": cells.get("name", "").strip(), "external_ids": {}}
    for key in ("emails", "domains"):
        entry[key] = [v for v in _SEVERAL.split(cells.get(key, "")) if v]
    entry["handles"] = [v.strip() for v in _HANDLES.split(cells.get("handles", "")) if v.strip()]
    if cells.get("notes", "").strip():
        entry["notes"] = cells["notes"].strip()
    entry["facts"] = ([{"text": line.strip(), "pinned": True} for line in cells.get("pinned_facts", "").splitlines()
                       if line.strip()] +
                      [line.strip() for line in cells.get("facts", "").splitlines() if line.strip()])
    for column, value in cells.items():
        if column.startswith(_EXTERNAL) and value.strip():
            entry["external_ids"][column[len(_EXTERNAL):]] = value.strip()
    return entry


def read_customers_csv(content: bytes | str) -> tuple[list[dict], list[int], list[str]]:
    """The rows, their line numbers in the file (the header is line 1), and notes about the file."""
    if len(content) > MAX_BYTES:
        raise Invalid(f"The file is larger than {MAX_BYTES // 1_000_000} MB; split it.", code="too_large")
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid("The CSV is not UTF-8 text; save it as “CSV UTF-8” and upload it again.",
                          code="invalid_csv") from None
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff"), newline=""))
    try:
        header = [_column(h) for h in next(reader, [])]
        if "name" not in header:
            raise Invalid("The CSV's first line must name its columns, with at least name (the customer's); "
                          "see the layout in docs/content-format.md.", code="invalid_csv")
        rows, lines = [], []
        while True:
            first_line = reader.line_num + 1  # a row's cells may run over several lines
            cells = next(reader, None)
            if cells is None:
                break
            if any(c.strip() for c in cells):
                rows.append(_row({column: cells[i] if i < len(cells) else ""
                                  for i, column in enumerate(header) if column}))
                lines.append(first_line)
    except csv.Error as broken:
        raise Invalid(f"The CSV cannot be read at line {reader.line_num}: {broken}.", code="invalid_csv") from None
    ignored = sorted({h for h in header if h and h not in KNOWN and not h.startswith(_EXTERNAL)})
    notes = [f"Columns ignored (Vouch does not know them): {', '.join(c[:40] for c in ignored[:20])}."] if ignored else []
    return rows, lines, notes


def read_customers_json(content: bytes | str) -> list:
    """A list of customers, or {"customers": [...]}, as JSON; each checked row by row later."""
    if len(content) > MAX_BYTES:
        raise Invalid(f"The file is larger than {MAX_BYTES // 1_000_000} MB; split it.", code="too_large")
    try:
        data = json.loads(content)
    except (ValueError, RecursionError) as broken:
        raise Invalid(f"The file is not JSON: {str(broken)[:200]}.", code="invalid_json") from None
    if isinstance(data, dict) and isinstance(data.get("customers"), list):
        data = data["customers"]
    if not isinstance(data, list):
        raise Invalid("Send a list of customers, or {\"customers\": [...]}.", code="invalid_import")
    return data
