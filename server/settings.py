"""Typed settings, read once from VOUCH_* environment variables (the only reader of them)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

SUGGEST_MODES = ("more", "balanced", "sure")
MEANING_CHOICES = ("on", "off")


MAX_STALE_DAYS = 36_500  # a hundred years: beyond that, dates overflow


class SettingError(ValueError):
    """A VOUCH_* setting that cannot be used: it stops start-up (and a `vouch` command) with this message."""


def _env(name: str, default: str) -> str:
    return os.environ.get(f"VOUCH_{name}", default)


def _whole_number(name: str, default: str) -> int:
    value = _env(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise SettingError(f"VOUCH_{name} must be a whole number, not {value!r}.") from None


@dataclass(frozen=True)
class Settings:
    """Every setting has a laptop-friendly default; see README for the list."""

    data_dir: Path = field(default=Path("data"), metadata={"doc": "Holds the SQLite database and the search index."})
    database_url: str = field(default="", metadata={"doc": "SQLAlchemy URL; empty means SQLite in the data directory."})
    base_url: str = field(default="http://127.0.0.1:8000", metadata={"doc": "Public URL of this server, used in links."})
    max_body_bytes: int = field(default=1_000_000, metadata={"doc": "Largest request body accepted, in bytes."})
    index_poll_seconds: float = field(default=2.0, metadata={"doc": "How often the index follows changes written by other nodes."})
    environment: str = field(default="development", metadata={"doc": "development or production."})
    smtp_host: str = field(default="", metadata={"doc": "SMTP server for reminders; empty puts mail in the data directory's outbox."})
    smtp_port: int = field(default=25, metadata={"doc": "SMTP port."})
    smtp_user: str = field(default="", metadata={"doc": "SMTP user name, if the server wants a login."})
    smtp_password: str = field(default="", metadata={"doc": "SMTP password."})
    smtp_from: str = field(default="Vouch <vouch@localhost>", metadata={"doc": "Sender of reminder mail."})
    remind_at: str = field(default="", metadata={"doc": "UTC time (HH:MM) at which the server sends the day's digests itself; empty: only 'vouch remind' does."})
    smtp_starttls: bool = field(default=False, metadata={"doc": "Use STARTTLS (1/true) when talking to the SMTP server."})
    secret_key: str = field(default="", metadata={"doc": "Signs the web pages' CSRF tokens; required in production (in development a random one is kept in the data directory)."})
    threads: int = field(default=0, metadata={"doc": "Threads per server process for database and search work (0: the processor count + 4, at most 32); the database pool is sized to match."})
    oidc_issuer: str = field(default="", metadata={"doc": "Your company's OpenID Connect issuer URL (discovery at <issuer>/.well-known/openid-configuration); empty: local accounts only."})
    oidc_client_id: str = field(default="", metadata={"doc": "Vouch's client id at the OpenID Connect provider."})
    oidc_client_secret: str = field(default="", metadata={"doc": "Vouch's client secret at the OpenID Connect provider."})
    oidc_allowed_domains: str = field(default="", metadata={"doc": "Comma-separated email domains that may sign in with OpenID Connect; empty refuses everyone."})
    oidc_group_claim: str = field(default="", metadata={"doc": "Claim listing a user's groups (e.g. groups): they become Vouch groups, kept in step at each sign-in; empty: groups are left alone."})
    oidc_name: str = field(default="your company", metadata={"doc": "Name on the sign-in button (Sign in with ...)."})
    trusted_proxies: str = field(default="", metadata={"doc": "Comma-separated addresses or networks of your reverse proxies, whose X-Forwarded-For is believed; empty: it is ignored."})
    suggest: str = field(default="balanced", metadata={"doc": "How readily the sidebar suggests cards: more, balanced or sure (only when sure); see docs/suggestions.md."})
    meaning: str = field(default="on", metadata={"doc": "Whether suggestions (and, with the semantic extra, search) also match cards by meaning: on, or off for the words alone; see docs/suggestions.md."})
    fact_stale_days: int = field(default=180, metadata={"doc": "Days after its last confirmation (or save) that a quick fact is marked 'may be stale'."})

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            data_dir=Path(_env("DATA_DIR", "data")),
            database_url=_env("DATABASE_URL", ""),
            base_url=_env("BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            max_body_bytes=int(_env("MAX_BODY_BYTES", "1000000")),
            index_poll_seconds=float(_env("INDEX_POLL_SECONDS", "2.0")),
            environment=_env("ENVIRONMENT", "development"),
            smtp_host=_env("SMTP_HOST", ""),
            smtp_port=int(_env("SMTP_PORT", "25")),
            smtp_user=_env("SMTP_USER", ""),
            smtp_password=_env("SMTP_PASSWORD", ""),
            smtp_from=_env("SMTP_FROM", "Vouch <vouch@localhost>"),
            smtp_starttls=_env("SMTP_STARTTLS", "").lower() in ("1", "true", "yes"),
            remind_at=_env("REMIND_AT", ""),
            secret_key=_env("SECRET_KEY", ""),
            threads=int(_env("THREADS", "0")),
            oidc_issuer=_env("OIDC_ISSUER", "").rstrip("/"),
            oidc_client_id=_env("OIDC_CLIENT_ID", ""),
            oidc_client_secret=_env("OIDC_CLIENT_SECRET", ""),
            oidc_allowed_domains=_env("OIDC_ALLOWED_DOMAINS", ""),
            oidc_group_claim=_env("OIDC_GROUP_CLAIM", ""),
            oidc_name=_env("OIDC_NAME", "your company"),
            trusted_proxies=_env("TRUSTED_PROXIES", ""),
            suggest=_env("SUGGEST", "balanced").strip().lower(),
            meaning=_env("MEANING", "on").strip().lower(),
            fact_stale_days=_whole_number("FACT_STALE_DAYS", "180"),
        )

    def __post_init__(self):
        if self.suggest not in SUGGEST_MODES:  # a typo stops start-up, not every suggestion
            raise SettingError(f"VOUCH_SUGGEST must be one of {', '.join(SUGGEST_MODES)}, not {self.suggest!r}.")
        if self.meaning not in MEANING_CHOICES:
            raise SettingError(f"VOUCH_MEANING must be on or off, not {self.meaning!r}.")
        if not 1 <= self.fact_stale_days <= MAX_STALE_DAYS:
            raise SettingError(f"VOUCH_FACT_STALE_DAYS must be a number of days from 1 to {MAX_STALE_DAYS}, "
                               f"not {self.fact_stale_days}.")

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def oidc_enabled(self) -> bool:
        """Sign-in with the company's provider is offered when its issuer and client id are set."""
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def oidc_domains(self) -> frozenset[str]:
        return frozenset(d.strip().lower().lstrip("@") for d in self.oidc_allowed_domains.split(",") if d.strip())

    @property
    def worker_threads(self) -> int:
        """Threads that run request work (Python's own default for a thread pool, unless set)."""
        return self.threads if self.threads > 0 else min(32, (os.cpu_count() or 1) + 4)

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'vouch.db').resolve()}"

    @staticmethod
    def documented() -> dict[str, str]:
        """Setting name (as an environment variable) → its one-line doc."""
        return {f"VOUCH_{f.name.upper()}": f.metadata["doc"] for f in fields(Settings)}
