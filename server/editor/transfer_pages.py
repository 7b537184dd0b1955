"""Importing and exporting a collection, or (admins) the whole install, as a zip of Markdown
files: the same files as `vouch export` writes and `vouch import` reads."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from sqlmodel import Session, select

from server.policies.accounts import require_admin
from server.accounts.models import User
from server.cards.models import Collection
from server.cards.service import readable_collections
from server.content.archive import Limits
from server.content.export import card_counts, export_archive, export_install_archive
from server.content.importer import import_archive
from server.content.install_import import INSTALL_LIMITS, import_install, read_install_zip
from server.dependencies import DbSession
from server.editor.forms import UploadForm, text
from server.editor.pages import page
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer
from server.errors import Invalid
from server.policies.access import access_of
from server.policies.collections import can_import_into


UNPACKED_PER_ZIPPED = 30


def _transfer_page(request: Request, session: Session, viewer: User, *, error: str = "", chosen: str = "",
                   install_error: str = "", status_code: int = 200) -> Response:
    collections = readable_collections(session, viewer)
    summary, _, problems = install_error.partition("\n")
    return page(request, session, viewer, "transfer/transfer.html", section="transfer", collections=collections,
                counts=card_counts(session, [c.id for c in collections]),
                importable=[c for c in collections if can_import_into(access_of(session, viewer), c)], error=error, chosen=chosen,
                install_error=summary, install_problems=[p.removeprefix("- ") for p in problems.splitlines()],
                status_code=status_code, max_bytes=request.app.state.settings.max_body_bytes)


def _upload(data: dict, limit: int) -> bytes:
    upload = data.get("archive")
    if isinstance(upload, list):
        upload = upload[-1] if upload else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid("Choose a zip file to import.", code="archive_missing")
    return upload.file.read(limit + 1)  # one byte more than allowed is enough to refuse it


class TransferPages(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/transfer", sync_to_thread=True)
    def transfer(self, request: Request, db_session: DbSession, viewer: Viewer) -> Response:
        return _transfer_page(request, db_session, viewer)

    @get("/collections/{slug:str}/export.zip", sync_to_thread=True)
    def export_zip(self, slug: FromPath[str], db_session: DbSession, viewer: Viewer) -> Response:
        archive = export_archive(db_session, actor=viewer, slug=slug)
        return Response(archive, media_type="application/zip", headers={
            "Content-Disposition": f"attachment; filename=\"{_ascii(slug)}.zip\"; filename*=UTF-8''{quote(slug)}.zip",
            "Cache-Control": "no-store"})

    @get("/transfer/install.zip", sync_to_thread=True)
    def export_install_zip(self, db_session: DbSession, viewer: Viewer) -> Response:
        require_admin(viewer)
        archive = export_install_archive(db_session, actor=viewer)
        return Response(archive, media_type="application/zip", headers={
            "Content-Disposition": 'attachment; filename="vouch-install.zip"', "Cache-Control": "no-store"})

    @post("/transfer/install", sync_to_thread=True)
    def import_install_zip(self, request: Request, data: UploadForm, db_session: DbSession,
                           viewer: Viewer) -> Response:
        require_admin(viewer)
        limit, index = request.app.state.settings.max_body_bytes, request.app.state.index
        try:
            # Unpacked, text takes a few times its zipped size; far more is a zip bomb, refused unread.
            limits = replace(INSTALL_LIMITS, max_archive_bytes=limit, max_total_bytes=UNPACKED_PER_ZIPPED * limit)
            files = read_install_zip(_upload(data, limit), limits)
            with index.deferred():  # the cards go into the index in batches once they are all written
                report = import_install(db_session, files, actor=viewer)
        except Invalid as refused:
            db_session.rollback()
            return _transfer_page(request, db_session, viewer, install_error=refused.message, status_code=400)
        return page(request, db_session, viewer, "transfer/install_result.html", section="transfer", report=report)

    @post("/transfer/import", sync_to_thread=True)
    def import_zip(self, request: Request, data: UploadForm, db_session: DbSession, viewer: Viewer) -> Response:
        chosen = text(data, "collection")[:100]
        limit = request.app.state.settings.max_body_bytes
        try:
            report = import_archive(db_session, actor=viewer, collection_slug=chosen, data=_upload(data, limit),
                                    limits=Limits(max_archive_bytes=limit), index=request.app.state.index)
        except Invalid as refused:
            db_session.rollback()
            return _transfer_page(request, db_session, viewer, error=refused.message, chosen=chosen, status_code=400)
        return page(request, db_session, viewer, "transfer/result.html", section="transfer", report=report,
                    collection=db_session.exec(select(Collection).where(Collection.slug == report.collection)).one(),
                    max_bytes=limit)


def _ascii(slug: str) -> str:
    """A file name every browser accepts; the exact slug goes in filename*."""
    return slug if re.fullmatch(r"[A-Za-z0-9_-]{1,100}", slug) else "collection"


ROUTES = [TransferPages]
