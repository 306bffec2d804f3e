"""1:N identity in the console: the duplicate-enrolment queue (admins decide, the committee
reads), the watchlist (admins list and remove), the hits a proctor decides at the desk and the
grid, and the committee's joki rings with their evidence side by side."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from proctor.access.tokens import Principal, Role
from proctor.api.console.acts import back, commit_or_back
from proctor.api.console.auth import current_user, form_user
from proctor.api.console.pages import render
from proctor.api.deps import Context, DbSession
from proctor.api.uploads import read_capped
from proctor.clock import utcnow
from proctor.errors import ErrorCode, ProctorError, RejectedInputError
from proctor.exam import catalog
from proctor.exam.checkpoints import decide_watchlist_hit
from proctor.identity import duplicates, rings, watch_hits, watchlist
from proctor.identity.duplicates import DuplicateState
from proctor.identity.watch_hits import HitState
from proctor.store.exam import DuplicateFace
from proctor.store.identity import WatchlistEntry, WatchlistHit

router = APIRouter(prefix="/console", include_in_schema=False)
READERS = (Role.ADMIN, Role.COMMITTEE)
HIT_PAGES = ("/console/desk", "/console/stations")  # where a hit's form may return to


def venue_hits(db: DbSession, principal: Principal, venue_id: uuid.UUID | None):
    """The open hits a desk or grid shows: a proctor's venue, or the one an admin chose."""
    if principal.role is Role.PROCTOR:
        venue_id = principal.venue_id
    return watch_hits.find(db, venue_id=venue_id, status=HitState.OPEN)


@router.get("/duplicates", response_class=HTMLResponse)
def duplicate_queue(request: Request, db: DbSession, error: str | None = None) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*READERS)
    cases = duplicates.find(db, status=DuplicateState.OPEN)
    decided = [
        row
        for state in (DuplicateState.SAME_PERSON, DuplicateState.TWINS, DuplicateState.LOOK_ALIKE)
        for row in duplicates.find(db, status=state, limit=50)
    ]
    verdicts = [str(s) for s in duplicates.TRANSITIONS[DuplicateState.OPEN]]
    return render(
        request, "duplicates.html", user, cases=cases, decided=decided, error=error,
        verdicts=sorted(verdicts),
    )  # fmt: skip


@router.post("/duplicates/{case_id}/decision")
async def decide_duplicate(case_id: uuid.UUID, request: Request, db: DbSession) -> Response:
    user, form = await form_user(request, db)
    user.principal.require(Role.ADMIN)

    def decide() -> None:
        case = catalog.get(db, DuplicateFace, case_id, "duplicate face", lock=True)
        duplicates.decide(
            db, case, DuplicateState(form.get("verdict", "")), actor=user.principal.actor,
            reason=form.get("reason", ""),
        )  # fmt: skip

    return commit_or_back(db, "/console/duplicates", decide)


@router.get("/watchlist", response_class=HTMLResponse)
def watchlist_page(request: Request, db: DbSession, error: str | None = None) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*READERS)
    now, listed = utcnow(), watchlist.entries(db, include_inactive=True)
    faces = watchlist.face_counts(db, [e.id for e in listed])
    entries = [(e, watchlist.state(e, now), faces.get(e.id, 0)) for e in listed]
    return render(request, "watchlist.html", user, entries=entries, error=error)


@router.post("/watchlist")
async def add_to_watchlist(request: Request, db: DbSession, context: Context) -> Response:
    user, form = await form_user(request, db)
    user.principal.require(Role.ADMIN)
    photo = (await request.form()).get("photo")
    page = "/console/watchlist"
    if not isinstance(photo, UploadFile):
        return back(page, RejectedInputError("a photo is needed", code=ErrorCode.REQUEST_INVALID))
    try:
        reading = context.reader.read(read_capped(photo, context.settings.max_upload_bytes))
        expires = _date(form.get("expires_on", ""))
    except ProctorError as exc:
        return back(page, exc)

    def add() -> None:
        watchlist.add_photo(
            db, reading, label=form.get("label", ""), reason=form.get("reason", ""),
            actor=user.principal.actor, expires_at=expires,
        )  # fmt: skip

    return commit_or_back(db, page, add)


def _date(text: str) -> datetime | None:
    """An optional yyyy-mm-dd from the form's date field: the entry lapses at its start (UTC)."""
    if not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=UTC)
    except ValueError as exc:
        raise RejectedInputError("not a date", code=ErrorCode.REQUEST_INVALID) from exc


@router.post("/watchlist/{entry_id}/removal")
async def remove_from_watchlist(entry_id: uuid.UUID, request: Request, db: DbSession) -> Response:
    user, form = await form_user(request, db)
    user.principal.require(Role.ADMIN)

    def remove() -> None:
        entry = catalog.get(db, WatchlistEntry, entry_id, "watchlist entry", lock=True)
        watchlist.remove(db, entry, actor=user.principal.actor, reason=form.get("reason", ""))

    return commit_or_back(db, "/console/watchlist", remove)


@router.post("/watchlist-hits/{hit_id}/decision")
async def decide_hit(hit_id: uuid.UUID, request: Request, db: DbSession) -> Response:
    """From the desk or the grid; back to the page the form came from."""
    user, form = await form_user(request, db)
    user.principal.require(Role.PROCTOR, Role.ADMIN)
    page = _return_page(form.get("page", ""))

    def decide() -> None:
        hit = catalog.get(db, WatchlistHit, hit_id, "watchlist hit", lock=True)
        user.principal.check_venue(hit.venue_id, write=True)
        decide_watchlist_hit(
            db, hit, HitState(form.get("verdict", "")), actor=user.principal.actor,
            reason=form.get("reason", ""),
        )  # fmt: skip

    return commit_or_back(db, page, decide)


def _return_page(asked: str) -> str:
    """The desk, or a venue's grid rebuilt from its id: never an address taken as given."""
    path, _, query = asked.partition("?")
    if path == "/console/stations" and query.startswith("venue_id="):
        try:
            return f"{path}?venue_id={uuid.UUID(query.removeprefix('venue_id='))}"
        except ValueError:
            pass
    return path if path in HIT_PAGES else HIT_PAGES[0]


@router.get("/rings", response_class=HTMLResponse)
def ring_page(request: Request, db: DbSession, context: Context) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*READERS)
    registry = context.registry()
    found = rings.find(db, registry.engine, registry.threshold)
    return render(request, "rings.html", user, rings=found, threshold=registry.threshold)
