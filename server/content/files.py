"""Reading and writing the content format (docs/content-format.md): Markdown + YAML front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from server.errors import Invalid

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.S)


@dataclass
class Document:
    path: Path
    meta: dict
    body: str


def read_document(path: Path) -> Document:
    """A Markdown file with front matter; a clear error names the file when it is malformed."""
    text = path.read_text(encoding="utf-8")
    match = _FRONT.match(text)
    if not match:
        raise Invalid(f"{path.name}: expected YAML front matter between '---' lines.", code="invalid_content")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise Invalid(f"{path.name}: front matter is not valid YAML ({error}).", code="invalid_content") from error
    if not isinstance(meta, dict):
        raise Invalid(f"{path.name}: front matter must be a mapping.", code="invalid_content")
    return Document(path=path, meta=meta, body=match.group(2).strip("\n"))


def read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise Invalid(f"{path.name}: not valid YAML ({error}).", code="invalid_content") from error


def write_document(path: Path, meta: dict, body: str) -> None:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None).strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n{body.rstrip()}\n", encoding="utf-8")
