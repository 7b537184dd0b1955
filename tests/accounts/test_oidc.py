"""Signing in with a real OpenID Connect provider (oidc-provider under Node): the whole
authorization code flow with PKCE, as a browser would walk it, and what it does to users
and groups."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from litestar.testing import TestClient
from sqlmodel import select

from server.accounts.models import Group, GroupMember, OidcLogin, User
from tests.accounts.oidc_servers import RealProvider, audit_events, vouch_signing_in_with
from tests.web.pages import HTML

BASE_URL = "http://vouch.test"  # the `settings` fixture's; the provider sends the browser back there
_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"')


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    provider = RealProvider(tmp_path_factory.mktemp("oidc"), f"{BASE_URL}/sign-in/oidc/callback").start()
    yield provider
    provider.stop()


@pytest.fixture
def vouch(settings, provider):
    provider.set_accounts({
        "ada": {"email": "Ada@Example.com", "email_verified": True, "name": "Ada Lovelace",
                "groups": ["support", "billing"]},
        "eve": {"email": "eve@elsewhere.org", "email_verified": True, "name": "Eve", "groups": []},
        "una": {"email": "una@example.com", "email_verified": False, "name": "Una", "groups": []},
    })
    with vouch_signing_in_with(settings, provider.issuer, provider.client_secret) as client:
        yield client


def callback_url(client: TestClient, provider: RealProvider, login: str, next_page: str = "/queue") -> str:
    """Walk the provider's pages as a fresh browser (its own cookies), sign in as `login` on
    its login form, and return the URL it sends the browser back to."""
    response = client.get("/sign-in/oidc", params={"next": next_page}, headers=HTML, follow_redirects=False)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    with httpx.Client(timeout=10) as browser:
        for _ in range(10):
            if not location.startswith(provider.issuer):
                return location
            page = browser.get(location)
            if page.is_redirect:
                location = urljoin(location, page.headers["location"])
                continue
            form = _FORM.search(page.text)
            assert form, f"no sign-in form on the provider's page: {page.text[:500]}"
            posted = browser.post(urljoin(location, form.group(1)),
                                  data={"prompt": "login", "login": login, "password": "any"})
            assert posted.is_redirect, posted.text[:500]
            location = urljoin(location, posted.headers["location"])
    raise AssertionError("the provider never sent the browser back")


def sign_in_as(client: TestClient, provider: RealProvider, login: str, next_page: str = "/queue"):
    back = callback_url(client, provider, login, next_page)
    assert back.startswith(f"{BASE_URL}/sign-in/oidc/callback?")
    return client.get(back[len(BASE_URL):], headers=HTML, follow_redirects=False)


def _user(client: TestClient, email: str) -> User | None:
    with client.app.state.db.session() as session:
        return session.exec(select(User).where(User.email == email)).first()


def _groups(client: TestClient, user: User) -> dict[str, bool]:
    """Group name → whether the claim made the membership."""
    with client.app.state.db.session() as session:
        rows = session.exec(select(Group.name, GroupMember.from_claim).join(GroupMember)
                            .where(GroupMember.user_id == user.id))
        return dict(rows.all())


def test_the_sign_in_page_offers_the_company_button_only_when_set_up(vouch, client):
    assert "Sign in with Example Corp" in vouch.get("/sign-in", headers=HTML).text
    assert 'href="/sign-in/oidc?next=/queue"' in vouch.get("/sign-in?next=/queue", headers=HTML).text
    assert "Sign in with" not in client.get("/sign-in", headers=HTML).text
    assert client.get("/sign-in/oidc", headers=HTML).status_code == 401  # not set up: the page says so


def test_a_first_sign_in_creates_the_user_with_the_claimed_groups(vouch, provider):
    response = sign_in_as(vouch, provider, "ada", "/queue")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/queue"
    assert "httponly" in response.headers["set-cookie"].lower()
    assert vouch.get("/queue", headers=HTML, follow_redirects=False).status_code == 200

    ada = _user(vouch, "ada@example.com")
    assert (ada.name, ada.role, ada.password_hash, ada.active) == ("Ada Lovelace", "member", None, True)
    assert _groups(vouch, ada) == {"support": True, "billing": True}
    [event] = audit_events(vouch, "sign_in")
    assert event.target_id == ada.id and event.details["method"] == "oidc"
    assert "token" not in str(event.details).lower()
    with vouch.app.state.db.session() as session:
        assert session.exec(select(OidcLogin)).all() == []  # used up


def test_each_sign_in_keeps_the_claimed_groups_in_step(vouch, provider):
    assert sign_in_as(vouch, provider, "ada").status_code == 303
    ada = _user(vouch, "ada@example.com")
    with vouch.app.state.db.session() as session:  # a group an admin put her in
        session.add(Group(name="reviewers"))
        session.flush()
        reviewers = session.exec(select(Group).where(Group.name == "reviewers")).one()
        session.add(GroupMember(group_id=reviewers.id, user_id=ada.id))
        session.commit()

    provider.set_accounts({"ada": {"email": "ada@example.com", "email_verified": True, "name": "Ada Lovelace",
                                   "groups": ["support", "escalations"]}})
    assert sign_in_as(vouch, provider, "ada").status_code == 303
    assert _user(vouch, "ada@example.com").id == ada.id
    assert _groups(vouch, ada) == {"support": True, "escalations": True, "reviewers": False}
    with vouch.app.state.db.session() as session:
        assert session.exec(select(Group).where(Group.name == "billing")).one()  # the group stays, she left it


def test_a_deactivated_user_cannot_sign_in_with_the_provider(vouch, provider):
    assert sign_in_as(vouch, provider, "ada").status_code == 303
    with vouch.app.state.db.session() as session:
        ada = session.exec(select(User).where(User.email == "ada@example.com")).one()
        ada.active = False
        session.add(ada)
        session.commit()
    vouch.cookies.clear()
    response = sign_in_as(vouch, provider, "ada")
    assert response.status_code == 401
    assert "deactivated" in response.text and "Traceback" not in response.text
    [failed] = audit_events(vouch, "sign_in_failed")
    assert failed.details == {"method": "oidc", "reason": "deactivated", "email": "ada@example.com"}
    assert failed.target_id == ada.id


@pytest.mark.parametrize("login, reason, says", [
    ("eve", "domain_not_allowed", "may not sign in"),
    ("una", "email_not_verified", "not verified"),
])
def test_an_account_vouch_does_not_accept_is_refused(vouch, provider, login, reason, says):
    response = sign_in_as(vouch, provider, login)
    assert response.status_code == 401 and says in response.text
    assert "vouch_session=" not in response.headers.get("set-cookie", "")
    with vouch.app.state.db.session() as session:
        assert session.exec(select(User)).all() == []
    [failed] = audit_events(vouch, "sign_in_failed")
    assert failed.details["reason"] == reason and failed.details["method"] == "oidc"


def test_empty_allowed_domains_refuse_everyone(settings, provider):
    provider.set_accounts({"ada": {"email": "ada@example.com", "email_verified": True, "name": "Ada"}})
    with vouch_signing_in_with(settings, provider.issuer, provider.client_secret, oidc_allowed_domains="") as vouch:
        response = sign_in_as(vouch, provider, "ada")
        assert response.status_code == 401 and "may not sign in" in response.text


def test_a_callback_works_once(vouch, provider):
    back = callback_url(vouch, provider, "ada")[len(BASE_URL):]
    assert vouch.get(back, headers=HTML, follow_redirects=False).status_code == 303
    vouch.cookies.clear()
    replayed = vouch.get(back, headers=HTML, follow_redirects=False)
    assert replayed.status_code == 401 and "used already" in replayed.text
    assert [e.details["reason"] for e in audit_events(vouch, "sign_in_failed")] == ["unknown_state"]


def test_local_accounts_still_sign_in_beside_the_provider(vouch):
    from tests.web.pages import sign_in

    vouch.factory.user("Bo", email="bo@example.test", password="correct horse")
    sign_in(vouch, "bo@example.test", "correct horse")
    assert vouch.get("/queue", headers=HTML, follow_redirects=False).status_code == 200
