"""A collection's access list as a page: open or restricted, who is on it with which role, and
forms to add and remove people and groups. For admins and the collection's owners, who need
not be admins: the services check can_manage_access, not the admin role."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from server.cards import access_lists
from server.dependencies import DbSession
from server.editor.forms import FormData, checked, text
from server.editor.pages import page, redirect
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer

ROLE_CHOICES = [("read", "Read"), ("edit", "Read and edit"), ("verify", "Read, edit and verify"),
                ("own", "Own: all of that, and decide who has access")]
ROLE_VERBS = {"read": "read", "edit": "read and edit", "verify": "read, edit and verify", "own": "own"}


def _back(session, viewer, collection_id: int) -> str:
    """Back to the list, unless the change took the viewer's own right to manage it."""
    return f"/admin/collections/{collection_id}/access" \
        if access_lists.manages(session, actor=viewer, collection_id=collection_id) else "/cards"


class AccessPages(Controller):
    path = "/admin/collections/{collection_id:int}"
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/access", sync_to_thread=True)
    def access_page(self, request: Request, collection_id: FromPath[int], db_session: DbSession,
                    viewer: Viewer) -> Response:
        found = access_lists.list_access(db_session, actor=viewer, collection_id=collection_id)
        return page(request, db_session, viewer, "admin/access.html", section="admin" if viewer.is_admin else "",
                    tab="collections", access=found, groups=access_lists.group_choices(db_session),
                    roles=ROLE_CHOICES)

    @post("/access", sync_to_thread=True)
    def add(self, collection_id: FromPath[int], data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        line = access_lists.grant_named(db_session, actor=viewer, collection_id=collection_id,
                                        role=text(data, "role"), user_email=text(data, "user_email"),
                                        group_name=text(data, "group"))
        who = line.user.name if line.user else f"The group {line.group.name}"
        return redirect(_back(db_session, viewer, collection_id),
                        f"{who} may now {ROLE_VERBS[line.grant.role]} this collection.")

    @post("/access/{grant_id:int}/remove", sync_to_thread=True)
    def remove(self, collection_id: FromPath[int], grant_id: FromPath[int], db_session: DbSession,
               viewer: Viewer) -> Response:
        access_lists.revoke(db_session, actor=viewer, grant_id=grant_id, collection_id=collection_id)
        return redirect(_back(db_session, viewer, collection_id),
                        "Removed from the list; cards they verified here and can no longer read went to the owner.")

    @post("/restricted", sync_to_thread=True)
    def restrict(self, collection_id: FromPath[int], data: FormData, db_session: DbSession,
                 viewer: Viewer) -> Response:
        collection = access_lists.set_restricted(db_session, actor=viewer, collection_id=collection_id,
                                                 restricted=checked(data, "restricted"))
        message = (f"“{collection.name}” is restricted: only those on its list see it." if collection.restricted
                   else f"“{collection.name}” is open: every member reads and edits it.")
        return redirect(_back(db_session, viewer, collection_id), message)


ROUTES = [AccessPages]
