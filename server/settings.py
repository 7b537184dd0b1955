"""Typed settings, read once from VOUCH_* environment variables (the only reader of them)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(f"VOUCH_{name}", default)


@dataclass(frozen=True)
class Settings:
    """Every setting has a laptop-friendly default; see README for the list."""

    data_dir: Path = field(default=Path("data"), metadata={"doc": "Holds the SQLite database and the search index."})
    database_url: str = field(default="", metadata={"doc": "SQLAlchemy URL; empty means SQLite in the data directory."})
    base_url: str = field(default="http://127.0.0.1:8000", metadata={"doc": "Public URL of this server, used in links."})
    max_body_bytes: int = field(default=1_000_000, metadata={"doc": "Largest request body accepted, in bytes."})
    index_poll_seconds: float = field(default=2.0, metadata={"doc": "How often the index follows changes written by other nodes."})
    environment: str = field(default="development", metadata={"doc": "development or production."})

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            data_dir=Path(_env("DATA_DIR", "data")),
            database_url=_env("DATABASE_URL", ""),
            base_url=_env("BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            max_body_bytes=int(_env("MAX_BODY_BYTES", "1000000")),
            index_poll_seconds=float(_env("INDEX_POLL_SECONDS", "2.0")),
            environment=_env("ENVIRONMENT", "development"),
        )

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'vouch.db').resolve()}"

    @staticmethod
    def documented() -> dict[str, str]:
        """Setting name (as an environment variable) → its one-line doc."""
        return {f"VOUCH_{f.name.upper()}": f.metadata["doc"] for f in fields(Settings)}
