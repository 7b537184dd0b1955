"""Admins upload a CRM's CSV of customers (or a JSON list) and see what was added, changed,
left as it was and skipped, row by row: the page for POST /api/customers/bulk. Its routes
are served with customer_pages.py's."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from sqlmodel import Session

from server.accounts.models import User
from server.dependencies import DbSession
from server.editor.forms import UploadForm
from server.editor.pages import page
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer
from server.errors import Forbidden, Invalid
from server.facts.bulk import MAX_LISTED, upsert_file
from server.policies.facts import can_import_customers


def _require_importer(viewer: User) -> None:
    if not can_import_customers(viewer):
        raise Forbidden("Only an admin can import customers.")


def _import_page(request: Request, session: Session, viewer: User, *, report: dict | None = None,
                 error: str = "", filename: str = "", status_code: int = 200) -> Response:
    return page(request, session, viewer, "customers/import.html", section="customers", report=report,
                error=error, filename=filename, status_code=status_code, max_listed=MAX_LISTED,
                max_bytes=request.app.state.settings.max_body_bytes)


def _upload(data: dict, limit: int) -> tuple[str, bytes]:
    upload = data.get("file")
    if isinstance(upload, list):
        upload = upload[-1] if upload else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid("Choose a CSV (or JSON) file to import.", code="file_missing")
    return upload.filename[:200], upload.file.read(limit + 1)


class CustomerImportPages(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/customers/import", sync_to_thread=True)
    def import_form(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        _require_importer(viewer)
        return _import_page(request, db_session, viewer)

    @post("/customers/import", sync_to_thread=True)
    def import_file(self, request: Request, data: UploadForm, db_session: DbSession, viewer: Viewer) -> Response:
        _require_importer(viewer)
        filename = ""
        try:
            filename, content = _upload(data, request.app.state.settings.max_body_bytes)
            report = upsert_file(db_session, actor=viewer, content=content,
                                 is_csv=not filename.lower().endswith(".json"))
        except Invalid as refused:
            db_session.rollback()
            return _import_page(request, db_session, viewer, error=refused.message, filename=filename,
                                status_code=400)
        return _import_page(request, db_session, viewer, report=report.as_dict(), filename=filename)
