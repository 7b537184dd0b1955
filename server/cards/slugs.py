"""URL- and file-safe names from titles in any script."""

from __future__ import annotations

import re
import unicodedata

_TURKISH = str.maketrans({"ı": "i", "İ": "i", "ş": "s", "Ş": "s", "ğ": "g", "Ğ": "g"})


def slugify(text: str, max_length: int = 80) -> str:
    """'Handling a refund request' → 'handling-a-refund-request'. Non-Latin titles keep their letters."""
    text = unicodedata.normalize("NFKD", text.translate(_TURKISH))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    return slug[:max_length].strip("-") or "card"
