"""The proctor's live station grid: a page, and the JSON its script polls every 2 seconds."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from proctor import local_time
from proctor.access.tokens import Principal, Role
from proctor.api.console import i18n, labels
from proctor.api.console.auth import current_user, venue_zone
from proctor.api.console.identity_pages import venue_hits
from proctor.api.console.pages import render
from proctor.api.deps import DbSession
from proctor.errors import ErrorCode, RejectedInputError
from proctor.exam import catalog
from proctor.exam.station_grid import grid
from proctor.faces.match_level import level_of
from proctor.identity import watch_hits
from proctor.store.exam import Venue

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
    rows = grid(db, venue.id)
    hits = venue_hits(db, user.principal, venue.id)
    return render(
        request, "stations.html", user, zone=venue.time_zone, venue=venue, rows=rows, hits=hits,
        level=_scorer(request),
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
    zone = venue_zone(db, venue) or local_time.DEFAULT_ZONE
    rows = grid(db, venue)
    # The page's script reloads when this differs from the hits it shows: a new hit at once.
    hits = watch_hits.open_count(db, venue)
    lang = i18n.language(request)
    label, level = labels.value_label(lang), _scorer(request)
    return JSONResponse(
        [
            {
                **asdict(r),
                "last_heartbeat": r.last_heartbeat.isoformat() if r.last_heartbeat else None,
                "last_heartbeat_text": local_time.text(r.last_heartbeat, zone, "time"),
                "state_label": label("attempt", r.state),
                "last_level": _level_text(level(r.last_score), lang),
                "flag_labels": [label("flag", f) for f in r.flags],
            }
            for r in rows
        ],
        headers={"Cache-Control": "no-store", "X-Open-Watchlist-Hits": str(hits)},
    )
