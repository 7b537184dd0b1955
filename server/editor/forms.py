"""Reading HTML form posts: every field is text, possibly repeated, possibly missing."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.enums import RequestEncodingType
from litestar.params import Body

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
UploadForm = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def text(form: dict[str, Any], name: str, default: str = "") -> str:
    """One text field; a repeated field counts by its last value, as browsers send it."""
    value = form.get(name, default)
    if isinstance(value, list):
        value = value[-1] if value else default
    return value if isinstance(value, str) else default


def texts(form: dict[str, Any], name: str) -> list[str]:
    value = form.get(name, [])
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


def number(form: dict[str, Any], name: str) -> int | None:
    value = text(form, name).strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


def checked(form: dict[str, Any], name: str) -> bool:
    return text(form, name) in ("1", "on", "true", "yes")


def tag_list(value: str) -> list[str]:
    return [t.strip() for t in value.split(",") if t.strip()]
