"""Admin: users, groups, collections and API tokens; and every user's own tokens page."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery

from server.accounts import admin, group_deletion, groups, tokens
from server.accounts.models import User
from server.adapters import service as adapter_health
from server.audit import log
from server.audit.routes import csv_response
from server.cards import collections
from server.cards.models import INTERVALS
from server.dependencies import DbSession, Index
from server.editor.forms import FormData, number, text
from server.editor.pages import page, redirect
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer
from server.errors import Invalid

INTERVAL_CHOICES = [(str(d), f"{d} days") for d in INTERVALS] + [("never", "Never")]


def interval_of(form: dict) -> int | None:
    """'never' is no interval; anything else must be a number (the service checks the list)."""
    value = text(form, "default_interval_days")
    if value == "never":
        return None
    days = number(form, "default_interval_days")
    if days is None:
        raise Invalid("Choose a verification interval.", code="invalid_interval")
    return days


def verifier_of(form: dict) -> int | None:
    return number(form, "default_verifier_id") if text(form, "default_verifier_id") else None


def collection_fields(form: dict) -> dict:
    return {"name": text(form, "name"), "description": text(form, "description"),
            "default_verifier_id": verifier_of(form), "default_interval_days": interval_of(form)}


def _cards(n: int) -> str:
    return f"{n} card{'s' if n != 1 else ''}"


def admin_page(request: Request, session, viewer: User, template: str, tab: str, **context) -> Response:
    return page(request, session, viewer, template, section="admin", tab=tab, **context)


class AdminPages(Controller):
    """Every handler here is for admins: pages check the policy, actions' services check it again."""

    path = "/admin"
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def users(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        people = admin.list_people(db_session, actor=viewer)
        return admin_page(request, db_session, viewer, "admin/users.html", "users", people=people)

    @post("/users", sync_to_thread=True)
    def add_user(self, data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        user = admin.add_local_user(db_session, actor=viewer, email=text(data, "email"), name=text(data, "name"),
                                    role=text(data, "role", "member"), password=text(data, "password"))
        return redirect("/admin", f"Added {user.name} ({user.email}); they can sign in with that password now.")

    @post("/users/{user_id:int}/role", sync_to_thread=True)
    def set_role(self, user_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        user = admin.set_role(db_session, actor=viewer, user_id=user_id, role=text(data, "role"))
        return redirect("/admin", f"{user.name} is now {'an admin' if user.is_admin else 'a member'}.")

    @post("/users/{user_id:int}/deactivate", sync_to_thread=True)
    def deactivate(self, user_id: FromPath[int], db_session: DbSession, viewer: Viewer) -> Response:
        user, moved = admin.deactivate(db_session, actor=viewer, user_id=user_id)
        cards = f"{_cards(moved)} moved to each collection's default verifier" if moved else "no cards to move"
        return redirect("/admin", f"{user.name} is deactivated and signed out everywhere; {cards}.")

    @post("/users/{user_id:int}/reactivate", sync_to_thread=True)
    def reactivate(self, user_id: FromPath[int], db_session: DbSession, viewer: Viewer) -> Response:
        user = admin.reactivate_user(db_session, actor=viewer, user_id=user_id)
        return redirect("/admin", f"{user.name} can sign in again; their old API tokens stay revoked.")

    @post("/users/{user_id:int}/password", sync_to_thread=True)
    def set_password(self, user_id: FromPath[int], data: FormData, db_session: DbSession,
                     viewer: Viewer) -> Response:
        user = admin.set_password(db_session, actor=viewer, user_id=user_id, password=text(data, "password"))
        return redirect("/admin", f"New password set for {user.name}; they were signed out of other browsers.")

    @get("/groups", sync_to_thread=True)
    def groups_page(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        found = admin.groups_with_members(db_session, actor=viewer)
        return admin_page(request, db_session, viewer, "admin/groups.html", "groups", groups=found,
                          from_sign_in=groups.claimed_group_ids(db_session))

    @post("/groups", sync_to_thread=True)
    def create_group(self, data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        group = groups.create_group(db_session, actor=viewer, name=text(data, "name"))
        return redirect("/admin/groups", f"Group {group.name} created; add its members below.")

    @post("/groups/{group_id:int}/rename", sync_to_thread=True)
    def rename_group(self, group_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        group = groups.rename_group(db_session, actor=viewer, group_id=group_id, name=text(data, "name"))
        return redirect("/admin/groups", f"The group is now called {group.name}.")

    @post("/groups/{group_id:int}/delete", sync_to_thread=True)
    def delete_group(self, group_id: FromPath[int], db_session: DbSession, viewer: Viewer) -> Response:
        gone = group_deletion.delete_group(db_session, actor=viewer, group_id=group_id)
        cards = f"; {_cards(gone.cards_moved)} got a new verifier" if gone.cards_moved else ""
        return redirect("/admin/groups", f"Group {gone.name} deleted with its memberships and access{cards}.")

    @post("/groups/{group_id:int}/members", sync_to_thread=True)
    def add_member(self, group_id: FromPath[int], data: FormData, db_session: DbSession,
                   viewer: Viewer) -> Response:
        groups.add_member(db_session, actor=viewer, group_id=group_id, email=text(data, "email"))
        return redirect("/admin/groups", f"Added {text(data, 'email').strip()[:320]} to the group.")

    @post("/groups/{group_id:int}/members/{user_id:int}/remove", sync_to_thread=True)
    def remove_member(self, group_id: FromPath[int], user_id: FromPath[int], db_session: DbSession,
                      viewer: Viewer) -> Response:
        groups.remove_member(db_session, actor=viewer, group_id=group_id, user_id=user_id)
        return redirect("/admin/groups", "Removed from the group; their turns go back into the rotation.")

    @get("/collections", sync_to_thread=True)
    def collections_page(self, request: Request, db_session: DbSession, viewer: Viewer,
                         index: Index) -> Response:
        admin.require_admin(viewer)
        found = collections.list_collections(db_session)
        people = admin.active_users(db_session)
        return admin_page(request, db_session, viewer, "admin/collections.html", "collections", collections=found,
                          people=people, names={p.id: p.name for p in people}, intervals=INTERVAL_CHOICES,
                          by_meaning=index.embedder.progress())

    @post("/collections", sync_to_thread=True)
    def create_collection(self, data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        created = collections.create_collection(db_session, actor=viewer, slug=text(data, "slug"),
                                                **collection_fields(data))
        return redirect("/admin/collections", f"Collection {created.name} created.")

    @get("/collections/{collection_id:int}", sync_to_thread=True)
    def edit_collection(self, request: Request, collection_id: FromPath[int], db_session: DbSession,
                        viewer: Viewer) -> Response:
        admin.require_admin(viewer)
        found = collections.collection_by_id(db_session, collection_id)
        return admin_page(request, db_session, viewer, "admin/collection.html", "collections", collection=found,
                          people=admin.active_users(db_session), intervals=INTERVAL_CHOICES)

    @post("/collections/{collection_id:int}", sync_to_thread=True)
    def update_collection(self, collection_id: FromPath[int], data: FormData, db_session: DbSession,
                          viewer: Viewer) -> Response:
        saved = collections.update_collection(db_session, actor=viewer, collection_id=collection_id,
                                              **collection_fields(data))
        return redirect("/admin/collections", f"Collection {saved.name} saved; new cards start with its defaults.")

    @get("/tokens", sync_to_thread=True)
    def all_tokens(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        found = tokens.list_tokens(db_session, actor=viewer, everyone=True)
        return admin_page(request, db_session, viewer, "admin/tokens.html", "tokens", tokens=found,
                          owners=tokens.owners_of(db_session, found), everyone=True)

    @get("/audit", sync_to_thread=True)
    def audit(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        filters, before = _audit_filters(request)
        found, older = log.events(db_session, actor=viewer, filters=filters, before=before)
        return admin_page(request, db_session, viewer, "admin/audit.html", "audit", events=found, older=older,
                          filters=filters, query=filters.as_query_string(), actions=log.actions(db_session),
                          target_types=log.target_types(db_session))

    @get("/audit.csv", sync_to_thread=True)
    def audit_csv(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        filters, _ = _audit_filters(request)
        return csv_response(log.csv_text_of(db_session, actor=viewer, filters=filters))

    @get("/adapters", sync_to_thread=True)
    def adapters(self, request: Request, db_session: DbSession, viewer: Viewer, days: FromQuery[int] = 7) -> Response:
        days = days if 1 <= days <= adapter_health.MAX_DAYS else 7
        return admin_page(request, db_session, viewer, "admin/adapters.html", "adapters", days=days,
                          failures=adapter_health.summary(db_session, actor=viewer, days=days),
                          burst_minutes=int(adapter_health.BURST_WINDOW.total_seconds() // 60))


def _audit_filters(request: Request) -> tuple[log.AuditFilter, int | None]:
    query = request.query_params
    filters = log.AuditFilter.parse(**{key: str(query.get(key, ""))[:320] for key in
                                       ("action", "actor", "target_type", "since", "until")})
    before = str(query.get("before", ""))
    return filters, int(before) if before.isdigit() and len(before) < 19 else None


class TokenPages(Controller):
    """Every user's own API tokens (for scripts, or the extension when not connected from it)."""

    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/tokens", sync_to_thread=True)
    def my_tokens(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        found = tokens.list_tokens(db_session, actor=viewer)
        return page(request, db_session, viewer, "admin/tokens.html", tokens=found, owners={viewer.id: viewer},
                    everyone=False)

    @post("/tokens", sync_to_thread=True, status_code=200)
    def create(self, request: Request, data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        name = text(data, "name")
        kind = "personal" if text(data, "kind") == "personal" else "extension"
        token = tokens.issue_token(db_session, actor=viewer, name=name, kind=kind)
        response = page(request, db_session, viewer, "admin/token_created.html", token=token,
                        name=" ".join(name.split()))
        response.headers["Cache-Control"] = "no-store"  # the token is on this page once; never cache it
        return response

    @post("/tokens/{token_id:int}/revoke", sync_to_thread=True)
    def revoke(self, token_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        token = tokens.revoke_token(db_session, actor=viewer, token_id=token_id)
        back = "/admin/tokens" if text(data, "back") == "/admin/tokens" else "/tokens"
        return redirect(back, f"Token “{token.name}” revoked; it no longer works.")


ROUTES = [AdminPages, TokenPages]
