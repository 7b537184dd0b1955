"""The `vouch` command line, run as a user would run it."""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.live import LiveServer

VOUCH = str(Path(sys.executable).with_name("vouch"))


def run(data_dir, *args):
    env = {**os.environ, "VOUCH_DATA_DIR": str(data_dir)}
    env.pop("VOUCH_DATABASE_URL", None)
    return subprocess.run([VOUCH, *args], env=env, capture_output=True, text=True, timeout=120)


def test_user_add_token_create_and_errors(tmp_path):
    added = run(tmp_path, "user", "add", "Lee@Example.test", "--name", "Lee Lead", "--admin")
    assert added.returncode == 0, added.stderr
    assert "admin Lee Lead <lee@example.test>" in added.stdout
    again = run(tmp_path, "user", "add", "lee@example.test", "--name", "Lee")
    assert again.returncode == 2 and "exists already" in again.stderr
    bad = run(tmp_path, "user", "add", "not-an-email", "--name", "X")
    assert bad.returncode == 2 and "not an email address" in bad.stderr
    token = run(tmp_path, "token", "create", "lee@example.test")
    assert token.returncode == 0
    assert token.stdout.strip().splitlines()[-1].startswith("vch_")
    missing = run(tmp_path, "token", "create", "nobody@example.test")
    assert missing.returncode == 2 and "No user" in missing.stderr


def test_a_bad_setting_stops_a_command_with_a_clear_error(tmp_path):
    env = {**os.environ, "VOUCH_DATA_DIR": str(tmp_path), "VOUCH_MEANING": "maybe"}
    env.pop("VOUCH_DATABASE_URL", None)
    done = subprocess.run([VOUCH, "reindex"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == "vouch: VOUCH_MEANING must be on or off, not 'maybe'."  # no traceback
    assert not (tmp_path / "vouch.db").exists(), "nothing opened"
    env["VOUCH_MEANING"] = "off"
    done = subprocess.run([VOUCH, "reindex"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Matching by meaning is turned off (VOUCH_MEANING=off)" in done.stdout


def test_seed_is_idempotent_and_if_empty_respects_existing_data(tmp_path):
    first = run(tmp_path, "seed")
    assert first.returncode == 0, first.stderr
    assert "Loaded" in first.stdout
    second = run(tmp_path, "seed")
    assert "Loaded 0 users, " in second.stdout and " 0 cards, 0 customers, 0 facts." in second.stdout
    assert "Kept as they were (already there):" in second.stdout  # nothing left out without a word
    assert "  cards/policies/chargebacks.md: card chargebacks is in policies already" in second.stdout
    assert "not loaded" in run(tmp_path, "seed", "--if-empty").stdout
    assert run(tmp_path, "seed", str(tmp_path / "nowhere")).returncode == 2


def test_reindex_rebuilds_while_a_server_keeps_answering(tmp_path):
    server = LiveServer(tmp_path).start()
    try:
        with server.api("sam@vouch.example") as api:
            before = api.get("/api/search", params={"q": "refund"}).json()["results"]
            rebuilt = run(tmp_path, "reindex")
            assert rebuilt.returncode == 0, rebuilt.stderr
            assert "Rebuilt the search index" in rebuilt.stdout
            assert api.get("/api/search", params={"q": "refund"}).json()["results"] == before
    finally:
        server.stop()


def test_serve_answers_health(tmp_path):
    server = LiveServer(tmp_path, content=None).start()
    try:
        assert httpx.get(f"{server.url}/api/health").json()["status"] == "ok"
    finally:
        server.stop()


def test_import_customers_from_csv_and_json(tmp_path):
    data = tmp_path / "data"
    crm = tmp_path / "crm.csv"
    crm.write_text("name,emails,external_id:crm,facts\nNorthwind,maria@northwind.example,1,Pays by invoice.\n"
                   "Bad,not-an-address,2,\n", encoding="utf-8")
    first = run(data, "import-customers", str(crm))
    assert first.returncode == 1, first.stderr  # a row was skipped: said, and the rest kept
    assert "1 added, 0 changed, 0 unchanged, 1 skipped." in first.stdout
    assert "row 3 (Bad): “not-an-address” is not an email address" in first.stderr
    listed = tmp_path / "more.json"
    listed.write_text('[{"name": "Northwind Traders", "external_ids": {"crm": "1"}}, {"name": "Contoso"}]')
    second = run(data, "import-customers", str(listed))
    assert second.returncode == 0, second.stderr
    assert "1 added, 1 changed, 0 unchanged, 0 skipped." in second.stdout
    again = run(data, "import-customers", str(listed))
    assert "0 added, 0 changed, 2 unchanged, 0 skipped." in again.stdout
    assert run(data, "import-customers", str(tmp_path / "crm.xlsx")).returncode == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    refused = run(data, "import-customers", str(broken))
    assert refused.returncode == 2 and "not JSON" in refused.stderr
