"""Reading one record of an install's files key by key, the way a form is read: each value
is checked for its type and range, and a wrong one raises Invalid naming the file and the
key, so a person can find and fix it. A key left out gets its default."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from server.errors import Invalid

_MISSING = object()


class Fields:
    def __init__(self, where: str, record):
        if not isinstance(record, dict):
            raise Invalid(f"{where}: expected a mapping of keys and values.", code="invalid_content")
        self.where, self.record = where, record

    def fail(self, key: str, what: str) -> Invalid:
        return Invalid(f"{self.where}: '{key}' {what}.", code="invalid_content")

    def _get(self, key: str, default):
        value = self.record.get(key, _MISSING)
        return default if value is _MISSING or value is None else value

    def text(self, key: str, *, max_chars: int | None = None, default: str = "", required: bool = False) -> str:
        value = self._get(key, None)
        if value is None:
            if required:
                raise self.fail(key, "is missing")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(key, "must be text")
        value = str(value)
        if required and not value.strip():
            raise self.fail(key, "is empty")
        if max_chars is not None and len(value) > max_chars:
            raise self.fail(key, f"is longer than {max_chars:,} characters")
        return value

    def optional_text(self, key: str, *, max_chars: int) -> str | None:
        return self.text(key, max_chars=max_chars) if self._get(key, None) is not None else None

    def choice(self, key: str, choices, default=_MISSING):
        value = self.record.get(key, default)
        if value is _MISSING:
            raise self.fail(key, "is missing")
        if isinstance(value, bool | dict | list) or value not in choices:
            shown = ", ".join("null" if c is None else str(c) for c in choices)
            raise self.fail(key, f"must be one of {shown}")
        return value

    def number(self, key: str, *, default: int, minimum: int = 0, maximum: int = 2**31 - 1) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise self.fail(key, f"must be a whole number from {minimum} to {maximum:,}")
        return value

    def flag(self, key: str, *, default: bool | None) -> bool | None:
        value = self.record.get(key, default)
        if not isinstance(value, bool) and value is not default:
            raise self.fail(key, "must be true or false")
        return value

    def when(self, key: str, *, default: datetime | None = None) -> datetime | None:
        """A moment, stored in UTC: a YAML timestamp or ISO 8601 text; a date alone is its midnight."""
        value = self._get(key, None)
        if value is None:
            return default
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                raise self.fail(key, "must be a date and time such as 2026-12-04 15:02:00+00:00") from None
        if isinstance(value, datetime):
            return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
        if isinstance(value, date):
            return datetime.combine(value, time.min, tzinfo=timezone.utc)
        raise self.fail(key, "must be a date and time such as 2026-12-04 15:02:00+00:00")

    def day(self, key: str) -> date | None:
        value = self._get(key, None)
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                raise self.fail(key, "must be a date such as 2027-03-03") from None
        if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
            raise self.fail(key, "must be a date such as 2027-03-03")
        return value

    def words(self, key: str, *, max_items: int = 1000, max_chars: int = 500) -> list[str]:
        value = self._get(key, [])
        if not isinstance(value, list) or len(value) > max_items or not all(
                isinstance(v, str | int | float) and not isinstance(v, bool) and len(str(v)) <= max_chars
                for v in value):
            raise self.fail(key, f"must be a list of at most {max_items:,} words such as [billing, refunds]")
        return [str(v) for v in value]

    def groups(self, key: str, known: set[str], *, max_items: int = 100) -> list[str]:
        """Names of groups, each one groups.yaml lists (`known`); sorted, once each."""
        names = sorted(set(self.words(key, max_items=max_items, max_chars=200)))
        for name in names:
            if name not in known:
                raise self.fail(key, f"names {name}, a group not in groups.yaml")
        return names

    def mapping(self, key: str) -> dict[str, str]:
        value = self._get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str | int | float) and not isinstance(v, bool)
                                                  for v in value.values()):
            raise self.fail(key, "must be a mapping of names to text such as {zendesk: \"48213\"}")
        return {str(k): str(v) for k, v in value.items()}

    def records(self, key: str) -> list[Fields]:
        value = self._get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        return [Fields(f"{self.where}: {key} #{n}", item) for n, item in enumerate(value, 1)]

    def person(self, key: str, people: dict[str, int | None], *, required: bool = False) -> str | None:
        """An email that users.yaml names (people maps every email there)."""
        value = self._get(key, None)
        if value is None:
            if required:
                raise self.fail(key, "is missing")
            return None
        email = self.text(key, max_chars=320).strip().lower()
        if email not in people:
            raise self.fail(key, f"names {email}, who is not in users.yaml")
        return email
