"""Signing in through the real form with a TestClient, for page tests that need no browser."""

from __future__ import annotations

import re

from litestar.testing import TestClient

_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
HTML = {"accept": "text/html"}


def csrf_token(client: TestClient, path: str = "/sign-in") -> str:
    """The token a form on `path` carries (the page sets the matching cookie)."""
    found = _CSRF.search(client.get(path, headers=HTML).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str) -> TestClient:
    response = client.post("/sign-in", data={"email": email, "password": password, "next": "/cards",
                                             "_csrf_token": csrf_token(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def post_form(client: TestClient, path: str, data: dict, *, page: str | None = None, **kwargs):
    """A form post with the CSRF token from `page` (default: the post's own path)."""
    token = csrf_token(client, page or "/cards")
    return client.post(path, data={**data, "_csrf_token": token}, headers=HTML, follow_redirects=False, **kwargs)
