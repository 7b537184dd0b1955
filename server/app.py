"""Builds the Litestar app from Settings. Nothing else happens here."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar
from litestar.exceptions import HTTPException
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig

from server import __version__
from server.accounts.clients import parse_proxies
from server.accounts.routes import health, me
from server.accounts.token_routes import TokenController
from server.adapters.routes import AdapterHealthController
from server.analytics.routes import AnalyticsController
from server.audit.routes import AuditController
from server.cards.access_routes import AccessController
from server.cards.routes import CardController
from server.context.routes import ContextController
from server.db import Database
from server.dependencies import DEPENDENCIES
from server.editor.routes import on_http_error_page, static_router, web_router
from server.editor.security import add_security_headers, agree_on_signing_key, csrf_config
from server.editor.templating import template_config
from server.facts.routes import CustomerController, FactController
from server.http_errors import EXCEPTION_HANDLERS, JsonLimitedRequest
from server.search import semantic
from server.search.analysis import set_cache_dir
from server.search.index import SearchIndex
from server.search.routes import SearchController
from server.triggers.routes import TriggerController
from server.verification.admin_routes import PeopleController
from server.verification.routes import VerificationController
from server.verification.schedule import parse_time, run_schedule
from server.settings import Settings


def keep_private(data_dir: Path) -> None:
    """The data directory holds every card, customer fact and password hash: the database, its
    WAL files, the index and the secret key are made readable by their owner only (the
    directory 0700, and files this process creates 0600, whatever the shell's umask)."""
    os.umask(0o077)
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)


def open_services(settings: Settings) -> tuple[Database, SearchIndex]:
    """The database (tables created if missing) and the index following its outbox."""
    keep_private(settings.data_dir)
    db = Database(settings)
    db.create_tables()
    set_cache_dir(settings.data_dir)
    semantic.turn_on(settings.meaning == "on")
    index = SearchIndex(settings.index_dir, db.session, suggest_mode=settings.suggest)
    index.clear_leftovers()
    index.rebuild_if_outdated()
    db.on_outbox_commit(index.apply_pending)
    return db, index


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    if settings.remind_at:
        parse_time(settings.remind_at)  # a bad setting stops start-up, not the first reminder
    csrf = csrf_config(settings)  # refuses a default secret in production, before anything opens
    db, index = open_services(settings)
    agree_on_signing_key(db, settings, csrf.secret)  # one key for every node of a shared database

    @asynccontextmanager
    async def follow_index(app: Litestar) -> AsyncIterator[None]:
        # Handlers and dependencies that touch the database or the index run in this
        # many threads; the database pool has a connection for each (server/db.py).
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(settings.worker_threads, thread_name_prefix="vouch-request"))
        index.apply_pending()
        index.prepare()
        # Before serving, not beside it: a thread reading ahead while the first requests
        # run took the interpreter from them (typed searches over HTTP twice as slow
        # for the first seconds).
        index.warm()
        stop = threading.Event()
        follower = threading.Thread(target=index.follow, args=(settings.index_poll_seconds, stop),
                                    name="index-follower", daemon=True)
        follower.start()
        # The semantic extra's vectors, in the background: the first filling takes
        # most of an hour at 10,000 cards, and the server answers by words meanwhile.
        embedder = threading.Thread(target=index.embedder.run, args=(settings.index_poll_seconds, stop),
                                    name="embedder", daemon=True)
        embedder.start()
        daily = threading.Thread(target=run_schedule, args=(db, settings, stop), name="daily", daemon=True)
        daily.start()
        try:
            yield
        finally:
            stop.set()
            index.embedder.wake.set()
            follower.join(timeout=5)
            embedder.join(timeout=5)
            daily.join(timeout=5)
            index.close()
            db.dispose()

    return Litestar(
        route_handlers=[health, me, CardController, AccessController, SearchController, ContextController,
                        CustomerController, FactController, AnalyticsController, TriggerController,
                        VerificationController, PeopleController, TokenController, AuditController,
                        AdapterHealthController, web_router(),
                        static_router()],
        dependencies=DEPENDENCIES,
        exception_handlers={**EXCEPTION_HANDLERS, HTTPException: on_http_error_page},
        template_config=template_config(),
        csrf_config=csrf,
        before_send=[add_security_headers],
        lifespan=[follow_index],
        state=State({"settings": settings, "db": db, "index": index, "secret": csrf.secret,
                     "proxies": parse_proxies(settings.trusted_proxies)}),
        request_max_body_size=settings.max_body_bytes,
        request_class=JsonLimitedRequest,
        openapi_config=OpenAPIConfig(title="Vouch", version=__version__),
        # The extension calls from its service worker with host permissions; no browser
        # page origin needs CORS, so none is allowed.
        cors_config=None,
        debug=False,
    )
