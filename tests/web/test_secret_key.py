"""The secret that signs CSRF tokens: production refuses to start without a real one;
development keeps one random key in the data directory, shared by every worker."""

from __future__ import annotations

import pytest

from server.app import create_app
from server.editor.security import InsecureSecret, secret_key
from server.settings import Settings


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(InsecureSecret, match="VOUCH_SECRET_KEY"):
        create_app(Settings(data_dir=tmp_path, environment="production"))
    with pytest.raises(InsecureSecret, match="at least 32"):
        secret_key(Settings(data_dir=tmp_path, environment="production", secret_key="short"))
    assert secret_key(Settings(data_dir=tmp_path, environment="production", secret_key="k" * 40)) == "k" * 40


def test_development_makes_one_key_and_keeps_it(tmp_path):
    first = secret_key(Settings(data_dir=tmp_path / "data"))
    assert len(first) >= 32 and secret_key(Settings(data_dir=tmp_path / "data")) == first
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only
    assert secret_key(Settings(data_dir=tmp_path / "other")) != first
