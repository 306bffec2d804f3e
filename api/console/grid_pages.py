"""The proctor's live station grid: a page, and the JSON its script polls every 2 seconds."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from proctor import local_time
from proctor.access.tokens import Principal, Role
from proctor.api.console import i18n, labels
from proctor.api.console.auth import LoginRequired, current_user, venue_zone
from proctor.api.console.identity_pages import venue_hits
from proctor.api.console.pages import render
from proctor.api.deps import Context, DbSession
from proctor.api.images import private_image
from proctor.api.scoping import attempt_in_scope
from proctor.audit.data_reads import DataKind, Purpose, Read
from proctor.errors import ErrorCode, NotFoundError, RejectedInputError
from proctor.exam import catalog
from proctor.exam.attempts import AttemptState
from proctor.exam.station_grid import grid
from proctor.faces.match_level import level_of
from proctor.identity import watch_hits
from proctor.store.exam import Blob, Station, Venue

router = APIRouter(prefix="/console", include_in_schema=False)


def _level_text(level, lang: str) -> str:
    return "-" if level is None else f"{level.value} · {level.words(lang)}"


def _venue(principal: Principal, venue_id: uuid.UUID | None) -> uuid.UUID:
    principal.require(Role.PROCTOR, Role.ADMIN, Role.COMMITTEE)
    if principal.role is Role.PROCTOR:
        return principal.venue_id  # type: ignore[return-value]
    if venue_id is None:
        raise RejectedInputError("choose a venue", code=ErrorCode.REQUEST_INVALID)
    return venue_id


@router.get("/stations", response_class=HTMLResponse)
def stations_page(
    request: Request, db: DbSession, venue_id: uuid.UUID | None = None
) -> HTMLResponse:
    user = current_user(request, db)
    if user.principal.role is not Role.PROCTOR and venue_id is None:
        venues = catalog.venues(db)
        return render(request, "venues.html", user, venues=venues)
    venue = catalog.get(db, Venue, _venue(user.principal, venue_id), "venue")
    rows, _ = _rows(request, db, venue.id)
    hits = venue_hits(db, user.principal, venue.id)
    return render(
        request, "stations.html", user, zone=venue.time_zone, venue=venue, rows=rows, hits=hits,
        summary=summary_of(rows),
    )  # fmt: skip


def _scorer(request: Request):
    """The match level of a station's score (its engine, the service's station threshold)."""
    context = request.app.state.proctor
    engine, threshold = context.settings.station_engine, context.station_threshold
    return lambda score: level_of(score, threshold, engine)


@router.get("/stations.json")
def stations_json(
    request: Request, db: DbSession, venue_id: uuid.UUID | None = None
) -> JSONResponse:
    """The grid's rows with the labels in the reader's language beside the raw values."""
    user = current_user(request, db)
    venue = _venue(user.principal, venue_id)
    rows, hits = _rows(request, db, venue)
    return JSONResponse(
        {"rows": rows, "summary": summary_of(rows)},
        # The page's script reloads when this differs from the hits it shows: a new hit at once.
        headers={"Cache-Control": "no-store", "X-Open-Watchlist-Hits": str(hits)},
    )


def _grid_access(
    request: Request, context: Context, venue_id: uuid.UUID | None = None
) -> tuple[uuid.UUID, set[uuid.UUID]]:
    """Checked before the stream starts (a refusal is then a redirect to the login, not a cut
    stream), in a short session of its own: an open grid must not hold a connection."""
    with context.sessions() as db:
        user = current_user(request, db)
        venue = _venue(user.principal, venue_id)
        return venue, set(db.scalars(select(Station.id).where(Station.venue_id == venue)))


@router.get("/stations/events", response_class=EventSourceResponse)
async def station_events(
    request: Request,
    context: Context,
    access: Annotated[tuple[uuid.UUID, set[uuid.UUID]], Depends(_grid_access)],
) -> AsyncIterator[ServerSentEvent]:
    """The venue's grid pushed the moment a station's exam changes state (a pause within a
    moment of its commit, from any server process), and again every heartbeat interval.
    `grid` events carry the rows; `paused` names each station that has just paused. The
    stream ends when the console session does."""
    venue, stations = access
    heartbeat = context.settings.sse_heartbeat_seconds
    with context.bus.subscribe(None) as queue:
        last_sent = time.monotonic()
        while not context.bus.closing and not await request.is_disconnected():
            try:
                item = await asyncio.wait_for(queue.get(), timeout=1.0)
                if item is None:
                    return  # the server is stopping
                if item.station_id not in stations:
                    continue
            except TimeoutError:
                if time.monotonic() - last_sent < heartbeat:
                    continue
                item = None
            try:
                rows, _ = await run_in_threadpool(_rows_in_session, request, context, venue)
            except LoginRequired:
                return  # logged out or expired meanwhile
            if item is not None and item.state == AttemptState.PAUSED:
                row = next((r for r in rows if r["station_id"] == str(item.station_id)), None)
                if row is not None:
                    yield ServerSentEvent(data=row, event="paused")
            yield ServerSentEvent(data={"rows": rows, "summary": summary_of(rows)}, event="grid")
            last_sent = time.monotonic()


def _rows_in_session(request: Request, context, venue: uuid.UUID):
    with context.sessions() as db:
        current_user(request, db)  # still logged in
        return _rows(request, db, venue)


def _rows(request: Request, db, venue: uuid.UUID) -> tuple[list[dict], int]:
    zone = venue_zone(db, venue) or local_time.DEFAULT_ZONE
    lang = i18n.language(request)
    label, level = labels.value_label(lang), _scorer(request)
    rows = [
        {
            **asdict(r),
            "last_heartbeat": r.last_heartbeat.isoformat() if r.last_heartbeat else None,
            "last_heartbeat_text": local_time.text(r.last_heartbeat, zone, "time"),
            "live_at": r.live_at.isoformat() if r.live_at else None,
            "live_text": local_time.text(r.live_at, zone, "clock", label=False),
            "live_src": _live_src(r),
            "state_label": label("attempt", r.state),
            "last_level": _level_text(level(r.last_score), lang),
            "flag_labels": [label("flag", f) for f in r.flags],
            "remaining_text": _clock(r.remaining_seconds),
        }
        for r in grid(db, venue)
    ]
    return rows, watch_hits.open_count(db, venue)


def _live_src(row) -> str | None:
    """The live picture's address; its time in it, so a newer picture is a new address."""
    if row.live_at is None:
        return None
    return f"/console/attempts/{row.attempt_id}/live?at={int(row.live_at.timestamp() * 1000)}"


@router.get("/attempts/{attempt_id}/live")
def live_picture(attempt_id: uuid.UUID, request: Request, db: DbSession) -> Response:
    """The newest live picture of an attempt (personal data: the venue's staff, the committee)."""
    user = current_user(request, db)
    user.principal.require(Role.PROCTOR, Role.ADMIN, Role.COMMITTEE)
    attempt = attempt_in_scope(db, user.principal, attempt_id, write=False)
    if attempt.live_blob_id is None:
        raise NotFoundError("no live picture of this attempt yet", code=ErrorCode.NOT_FOUND)
    read = Read(
        user.principal.actor, attempt.candidate_id, DataKind.LIVE_PICTURE, Purpose.CONSOLE_GRID
    )
    return private_image(db, catalog.get(db, Blob, attempt.live_blob_id, "image"), read)


def summary_of(rows: list[dict]) -> dict[str, int]:
    counts = {"stations": len(rows), "flagged": sum(1 for r in rows if r["flags"])}
    for row in rows:
        counts[row["state"]] = counts.get(row["state"], 0) + 1
    return counts


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{rest:02d}"
