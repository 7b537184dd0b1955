"""Providers for the OpenID Connect sign-in tests, both on 127.0.0.1: the real one
(oidc-provider under Node, tests/oidc/) and a small fake whose ID tokens a test forges, to
show each bad token is refused."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from joserfc import jwt
from joserfc.jwk import RSAKey
from litestar.testing import TestClient
from sqlmodel import select

from server.app import create_app
from server.audit.models import AuditEvent
from server.settings import Settings
from tests.factories import Factory
from tests.live import ROOT, LiveServer, free_port, stop_process, wait_until_answering

PROVIDER_DIR = ROOT / "tests" / "oidc"
CLIENT_ID = "vouch-tests"


def _npm_ci_if_needed() -> None:
    """scripts/test installs the provider (scripts/setup.sh, install_node_packages); this
    covers pytest run on its own after a pull changed the lock, with the same stamp."""
    wanted = hashlib.sha256((PROVIDER_DIR / "package-lock.json").read_bytes()).hexdigest()[:16]
    stamp = PROVIDER_DIR / "node_modules" / ".installed-lock"
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return
    if shutil.which("npm") is None:
        raise RuntimeError("npm is missing: run scripts/test once (it installs npm and the test provider)")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, capture_output=True,
                   timeout=300)
    stamp.write_text(wanted + "\n")


class RealProvider:
    """oidc-provider in a Node process, with accounts read from a file at each sign-in."""

    def __init__(self, work_dir: Path, redirect_uri: str):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_secret = secrets.token_urlsafe(24)
        self.accounts_file = work_dir / "accounts.json"
        self.log_path = work_dir / "provider.log"
        self.env = {"PATH": os.environ.get("PATH", ""), "OIDC_PORT": str(self.port), "OIDC_CLIENT_ID": CLIENT_ID,
                    "OIDC_CLIENT_SECRET": self.client_secret, "OIDC_REDIRECT_URI": redirect_uri,
                    "OIDC_ACCOUNTS_FILE": str(self.accounts_file)}
        self.process: subprocess.Popen | None = None

    def set_accounts(self, accounts: dict[str, dict]) -> None:
        self.accounts_file.write_text(json.dumps(accounts))

    def start(self) -> "RealProvider":
        _npm_ci_if_needed()
        self.set_accounts({})
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(["node", "provider.mjs"], cwd=PROVIDER_DIR, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        wait_until_answering(self.process, f"{self.issuer}/.well-known/openid-configuration", self.log_path,
                             "test provider")
        return self

    def stop(self) -> None:
        stop_process(self.process)
        self._log.close()


class FakeProvider:
    """Discovery, a JWKS and a token endpoint that hands out whatever ID token the test set
    (`id_token`); it remembers the token requests it received."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "good", "use": "sig"})
        self.id_token = ""
        self.token_requests: list[dict[str, str]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"

    def discovery(self) -> dict:
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/auth",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"],
                "scopes_supported": ["openid", "email", "profile"]}

    def sign(self, claims: dict, *, key=None, alg: str = "RS256") -> str:
        key = key or self.key
        return jwt.encode({"alg": alg, "kid": key.kid or "good"}, claims, key)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = {"/.well-known/openid-configuration": fake.discovery(),
                        "/jwks": {"keys": [fake.key.as_dict(private=False)]}}.get(self.path)
                self._send(200 if body else 404, body or {"error": "not_found"})

            def do_POST(self):
                form = parse_qs(self.rfile.read(int(self.headers.get("content-length", 0))).decode())
                fake.token_requests.append({k: v[0] for k, v in form.items()}
                                           | {"authorization": self.headers.get("authorization", "")})
                self._send(200, {"access_token": "access-" + secrets.token_urlsafe(8), "token_type": "Bearer",
                                 "id_token": fake.id_token})

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args) -> None:
                pass

        return Handler

    def start(self) -> "FakeProvider":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def vouch_signing_in_with(settings: Settings, issuer: str, client_secret: str, **overrides) -> Iterator[TestClient]:
    """A Vouch app whose company sign-in goes to `issuer`, as a test client."""
    settings = replace(settings, **{"oidc_issuer": issuer, "oidc_client_id": CLIENT_ID,
                                    "oidc_client_secret": client_secret, "oidc_allowed_domains": "example.com",
                                    "oidc_group_claim": "groups", "oidc_name": "Example Corp", **overrides})
    app = create_app(settings)
    with TestClient(app=app, raise_server_exceptions=False) as client:
        client.factory = Factory(app.state.db, app.state.index)
        yield client


def audit_events(client: TestClient, *actions: str) -> list[AuditEvent]:
    with client.app.state.db.session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)))


ADA = {"email": "ada@example.com", "email_verified": True, "name": "Ada Lovelace", "groups": ["support"]}


@contextmanager
def live_vouch_with_provider(work_dir: Path) -> Iterator[tuple[RealProvider, LiveServer]]:
    """A Vouch server whose people sign in with a real provider (Example Corp), where 'ada'
    (any password) is Ada Lovelace of the support group: for the browser tests."""
    (work_dir / "vouch").mkdir(parents=True, exist_ok=True)
    (work_dir / "provider").mkdir(parents=True, exist_ok=True)
    server = LiveServer(work_dir / "vouch", content=None)
    provider = RealProvider(work_dir / "provider", f"{server.url}/sign-in/oidc/callback").start()
    try:
        provider.set_accounts({"ada": ADA})
        server.env.update({"VOUCH_OIDC_ISSUER": provider.issuer, "VOUCH_OIDC_CLIENT_ID": CLIENT_ID,
                           "VOUCH_OIDC_CLIENT_SECRET": provider.client_secret,
                           "VOUCH_OIDC_ALLOWED_DOMAINS": "example.com", "VOUCH_OIDC_GROUP_CLAIM": "groups",
                           "VOUCH_OIDC_NAME": "Example Corp"})
        server.start()
        try:
            yield provider, server
        finally:
            server.stop()
    finally:
        provider.stop()
