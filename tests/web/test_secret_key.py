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


def test_nodes_sharing_a_database_must_share_the_key(tmp_path, postgres_cluster):
    url = postgres_cluster.url(postgres_cluster.create_database())
    first = create_app(Settings(data_dir=tmp_path / "first", database_url=url))
    assert first.state.db  # its key, made for its own data directory, is now the database's
    with pytest.raises(InsecureSecret, match="same value on every node"):
        create_app(Settings(data_dir=tmp_path / "second", database_url=url))
    # a key set on purpose becomes the database's key; the others must then be given it
    shared = "s" * 40
    create_app(Settings(data_dir=tmp_path / "second", database_url=url, secret_key=shared))
    create_app(Settings(data_dir=tmp_path / "third", database_url=url, secret_key=shared))
    with pytest.raises(InsecureSecret, match="same value on every node"):
        create_app(Settings(data_dir=tmp_path / "first", database_url=url))


def test_one_node_on_its_own_database_starts_as_before(tmp_path):
    create_app(Settings(data_dir=tmp_path / "data"))
    create_app(Settings(data_dir=tmp_path / "data"))  # restarts keep the key file and agree
    create_app(Settings(data_dir=tmp_path / "data", secret_key="k" * 40))
    create_app(Settings(data_dir=tmp_path / "data"))
