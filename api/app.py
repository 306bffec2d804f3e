"""The FastAPI application factory. Nothing is created at import time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from proctor.api import declared_errors, errors, privacy
from proctor.api.bus import PostgresListener, StationBus, install_delivery
from proctor.api.chain_watch import check_upkeep, head_upkeep
from proctor.api.console import (
    audit_pages,
    case_pages,
    desk_pages,
    grid_pages,
    identity_pages,
    intake_pages,
    public_pages,
    stats_pages,
    survey_pages,
)
from proctor.api.console import auth as console_auth
from proctor.api.console import errors as console_errors
from proctor.api.console import pages as console_pages
from proctor.api.context import LazyReader, ServiceContext
from proctor.api.deps import Context
from proctor.api.index_upkeep import index_upkeep
from proctor.api.proxy_watch import proxy_upkeep
from proctor.api.retention_watch import retention_upkeep
from proctor.api.routes import (
    accounts,
    agent,
    attempts,
    audit_log,
    candidates,
    complaint_channels,
    complaints,
    duplicates,
    incidents,
    observations,
    public,
    reviews,
    rings,
    station_page,
    stations,
    survey,
    venues,
    watchlist,
    wbs,
)
from proctor.api.stopping import on_stop_signals
from proctor.api.uploads import BodyLimit
from proctor.audit.head_cache import HeadCache
from proctor.audit.settings_record import record_configuration
from proctor.cases import notify
from proctor.cases.notify import LoggingNotifier, Notifier
from proctor.cases.whistleblowing import FailureLimiter
from proctor.faces.match_level import score_at
from proctor.faces.photos import PhotoReader
from proctor.keys import audit_signing_key, nik_key
from proctor.models.cards import load_card
from proctor.sealing.master_key import data_keyring
from proctor.sealing.upkeep import check_keyring, seal_plain_rows
from proctor.sealing.values import bind
from proctor.settings import Settings
from proctor.store.database import make_engine, make_sessionmaker

logger = logging.getLogger(__name__)
LISTENER_READY_SECONDS = 10.0
health = APIRouter(tags=["service"])


@health.get("/health")
def check_health(context: Context) -> dict[str, str]:
    with context.db.connect() as connection:
        connection.execute(text("SELECT 1"))
    return {"status": "ok", "database": context.db.dialect.name}


def _record_configuration(sessions: sessionmaker[Session], settings: Settings) -> None:
    with sessions() as session:
        if record_configuration(session, settings):
            logger.info("configuration change recorded in the audit trail")
        session.commit()


def _open_sealed(sessions: sessionmaker[Session]) -> None:
    """A master key that does not open the stored data stops the start; rows stored before
    sealing are sealed before the first request."""
    with sessions() as session:
        check_keyring(session)
    seal_plain_rows(sessions)


def _to_console() -> RedirectResponse:
    """The first address people type: the console (its login when nobody is signed in)."""
    return RedirectResponse("/console", status_code=303)


def create_app(
    settings: Settings | None = None,
    *,
    reader: PhotoReader | None = None,
    notifier: Notifier | None = None,
) -> FastAPI:
    """Build the service. `reader` replaces the face engine (tests use a fake one), `notifier`
    the logging notifier."""
    settings = settings or Settings()
    url = settings.resolved_database_url()
    pool = settings.database_pool_size
    db = make_engine(url, pool_size=pool, max_overflow=pool)
    sessions = bind(make_sessionmaker(db), data_keyring(settings))  # no key: no start
    bus = StationBus()
    install_delivery(
        sessions, bus, postgres_channel=None if settings.is_sqlite else settings.notify_channel
    )
    notifier = notifier or LoggingNotifier()
    notify.install(sessions, notifier)
    threshold = settings.policy.match_threshold
    station_threshold = (
        threshold if threshold is not None else load_card(settings.station_engine).threshold
    )
    context = ServiceContext(
        settings=settings,
        db=db,
        sessions=sessions,
        bus=bus,
        reader=reader or LazyReader(settings.engine),
        station_threshold=station_threshold,
        station_fault_floor=score_at(
            settings.policy.fault_excuse_level, station_threshold, settings.station_engine
        ),
        nik_key=nik_key(settings),
        notifier=notifier,
        receipt_limiter=FailureLimiter(),
        write_turn=threading.Lock() if settings.is_sqlite else contextlib.nullcontext(),
        heads=HeadCache(sessions, settings.audit_head_seconds),
    )

    signer = audit_signing_key(settings)  # refuses to start without one kept apart

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        bus.bind(asyncio.get_running_loop())
        quiet = privacy.quiet_access_log()
        await asyncio.to_thread(_record_configuration, sessions, settings)
        await asyncio.to_thread(_open_sealed, sessions)
        signing = asyncio.create_task(
            head_upkeep(sessions, signer, settings.audit_head_seconds, context.write_turn),
            name="proctor-audit-heads",
        )
        checking = asyncio.create_task(
            check_upkeep(sessions, settings.audit_checkpoint_seconds), name="proctor-audit-check"
        )
        indexing = None
        if settings.index_save_seconds > 0:
            indexing = asyncio.create_task(
                index_upkeep(context, settings.index_save_seconds), name="proctor-face-index"
            )
        keeping = None
        if settings.retention.run_every_seconds > 0:
            keeping = asyncio.create_task(
                retention_upkeep(sessions, settings.retention), name="proctor-retention"
            )
        searching = None
        if settings.proxy_search_seconds > 0:
            searching = asyncio.create_task(
                proxy_upkeep(context, settings.proxy_search_seconds), name="proctor-proxy-search"
            )
        listener_task = None
        if not settings.is_sqlite:
            listener = PostgresListener(url, settings.notify_channel, bus)
            listener_task = asyncio.create_task(listener.run(), name="proctor-listener")
            try:
                await asyncio.wait_for(listener.ready.wait(), LISTENER_READY_SECONDS)
            except TimeoutError:
                logger.warning("event listener not ready yet; streams heal on their heartbeat")
        try:
            with on_stop_signals(bus.close_streams_threadsafe):
                yield
        finally:
            if listener_task is not None:
                listener_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener_task
            for task in (signing, checking, searching, indexing, keeping):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            if indexing is not None:
                try:
                    await asyncio.to_thread(context.save_registry)
                except Exception:  # only a cache: the next start rebuilds it
                    logger.exception("saving the face index at shutdown failed")
            quiet.remove()
            db.dispose()

    # FastAPIOffline serves Swagger UI and ReDoc from the installed package: a venue without
    # internet still reads /docs (FastAPI's own pages load them from a CDN).
    app = FastAPIOffline(
        static_url="/docs-assets",
        title="Proctor",
        version="0.1.0",
        summary="Exam integrity: double face recognition, pauses on a mismatch, incidents.",
        lifespan=lifespan,
    )
    app.state.proctor = context
    errors.install(app)
    app.add_middleware(BodyLimit, limit=max(settings.max_upload_bytes, 16 * 1024 * 1024))
    api = APIRouter(prefix="/api/v1")
    # Routes are matched in order: the stations' batches and heartbeats, most of the requests
    # under load, come first (their paths are their own, so the order changes no answer).
    for module in (
        observations, agent, venues, candidates, duplicates, attempts, stations, incidents,
        reviews, complaint_channels, complaints, public, survey, wbs, watchlist, rings, accounts,
        audit_log,
    ):  # fmt: skip
        api.include_router(module.router)
    api.include_router(health)
    app.include_router(api)
    app.include_router(station_page.router)
    app.include_router(console_pages.router)
    app.include_router(public_pages.router)
    app.include_router(survey_pages.router)
    app.include_router(survey_pages.console)
    app.include_router(audit_pages.router)
    app.include_router(grid_pages.router)
    app.include_router(intake_pages.router)
    app.include_router(case_pages.router)
    app.include_router(stats_pages.router)
    app.include_router(desk_pages.router)
    app.include_router(identity_pages.router)
    app.add_api_route("/", _to_console, include_in_schema=False)
    declared_errors.declare(app)
    console_auth.install(app)
    console_errors.install(app)
    static = Path(__file__).resolve().parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    return app
