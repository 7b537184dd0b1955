"""Reading and writing the content format (docs/content-format.md): Markdown + YAML front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from server.errors import Invalid

# libyaml's loader when PyYAML has it: the same documents, read about ten times faster (a seed
# of 10,000 cards reads 10,000 front matters).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.S)


@dataclass
class Document:
    path: Path
    meta: dict
    body: str


def read_document(path: Path) -> Document:
    """A Markdown file with front matter; a clear error names the file when it is malformed."""
    return parse_document(path.name, path.read_text(encoding="utf-8"), path=path)


def parse_document(name: str, text: str, path: Path | None = None) -> Document:
    """The same reading for text that came from elsewhere (a zip entry), named `name` in errors."""
    match = _FRONT.match(text.replace("\r\n", "\n"))
    if not match:
        raise Invalid(f"{name}: expected YAML front matter between '---' lines.", code="invalid_content")
    try:
        meta = yaml.load(match.group(1), Loader=_LOADER) or {}
    except yaml.YAMLError as error:
        raise Invalid(f"{name}: front matter is not valid YAML ({error}).", code="invalid_content") from error
    if not isinstance(meta, dict):
        raise Invalid(f"{name}: front matter must be a mapping.", code="invalid_content")
    return Document(path=path or Path(name), meta=meta, body=match.group(2).strip("\n"))


def read_yaml(path: Path):
    return parse_yaml(path.name, path.read_text(encoding="utf-8"))


def parse_yaml(name: str, text: str):
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        raise Invalid(f"{name}: not valid YAML ({error}).", code="invalid_content") from error


class _Dumper(yaml.SafeDumper):
    """YAML a person can read and edit: short lists of words on one line (tags: [a, b]),
    records one key per line, and text of several lines as a block, not one escaped line."""


def _text(dumper: yaml.SafeDumper, value: str):
    # The emitter falls back to a quoted style by itself where a block would not keep the text exactly.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


def _sequence(dumper: yaml.SafeDumper, value: list):
    flat = all(not isinstance(item, dict | list) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _sequence)


def render_yaml(value) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)


def render_document(meta: dict, body: str) -> str:
    """The text of a content file: front matter, then the Markdown body (what write_document writes)."""
    return f"---\n{render_yaml(meta).strip()}\n---\n{body.rstrip()}\n"


def write_document(path: Path, meta: dict, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_document(meta, body), encoding="utf-8")
