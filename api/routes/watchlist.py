"""The watchlist of confirmed proxies and known joki, and its hits. Admins list and remove
people (with reasons); the committee reads everything; proctors see and decide their venue's
hits, which a checkpoint waits on."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form

from proctor.access.tokens import Role
from proctor.api.deps import Caller, Context, DbSession
from proctor.api.schemas import Public, Reason, Strict
from proctor.api.uploads import PhotoUpload, read_capped
from proctor.clock import utcnow
from proctor.errors import ErrorCode, NotFoundError
from proctor.exam import catalog
from proctor.exam.checkpoints import decide_watchlist_hit
from proctor.identity import watch_hits, watchlist
from proctor.identity.watch_hits import HitRow, HitState
from proctor.identity.watchlist import EntrySource, EntryState
from proctor.store.identity import WatchlistEntry, WatchlistHit

router = APIRouter(tags=["watchlist"])


class EntryPublic(Public):
    id: uuid.UUID
    source: EntrySource
    incident_id: uuid.UUID | None
    label: str
    reason: str
    added_by: str
    created_at: datetime
    expires_at: datetime | None
    state: EntryState
    faces: int
    removed_by: str | None
    removed_at: datetime | None
    removed_reason: str | None


class HitPublic(Public):
    id: uuid.UUID
    entry_id: uuid.UUID
    label: str
    place: str
    score: float
    threshold: float
    attempt_id: uuid.UUID
    participant_number: str
    station_code: str
    venue_id: uuid.UUID
    checkpoint_id: uuid.UUID | None
    incident_id: uuid.UUID | None
    status: HitState
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


class HitDecision(Strict):
    verdict: HitState
    reason: Reason


class HitDecided(Public):
    hit: HitPublic
    attempt_moved_on: bool  # clearing the hit let the checkpoint's match pass


class RemovalBody(Strict):
    reason: Reason


def _entries(db: DbSession, entries: list[WatchlistEntry]) -> list[EntryPublic]:
    faces, now = watchlist.face_counts(db, [e.id for e in entries]), utcnow()
    return [_entry(e, watchlist.state(e, now), faces.get(e.id, 0)) for e in entries]


def _entry(entry: WatchlistEntry, state: EntryState, faces: int) -> EntryPublic:
    return EntryPublic(
        id=entry.id, source=EntrySource(entry.source), incident_id=entry.incident_id,
        label=entry.label, reason=entry.reason, added_by=entry.added_by,
        created_at=entry.created_at, expires_at=entry.expires_at,
        state=state, faces=faces,
        removed_by=entry.removed_by, removed_at=entry.removed_at,
        removed_reason=entry.removed_reason,
    )  # fmt: skip


def _hit(found: HitRow) -> HitPublic:
    hit = found.hit
    return HitPublic(
        id=hit.id, entry_id=hit.entry_id, label=found.label, place=hit.place, score=hit.score,
        threshold=hit.threshold, attempt_id=hit.attempt_id,
        participant_number=found.participant_number, station_code=found.station_code,
        venue_id=hit.venue_id, checkpoint_id=hit.checkpoint_id, incident_id=hit.incident_id,
        status=HitState(hit.status), created_at=hit.created_at, decided_by=hit.decided_by,
        decided_at=hit.decided_at, reason=hit.reason,
    )  # fmt: skip


@router.get("/watchlist", response_model=list[EntryPublic])
def list_entries(
    db: DbSession, caller: Caller, include_inactive: bool = False
) -> list[EntryPublic]:
    """Active entries, newest first; removed and expired ones too when asked."""
    caller.require(Role.ADMIN, Role.COMMITTEE)
    return _entries(db, watchlist.entries(db, include_inactive=include_inactive))


@router.post("/watchlist", status_code=201, response_model=EntryPublic)
def add_entry(
    photo: PhotoUpload,
    label: Annotated[str, Form(min_length=1, max_length=200, description="Who this is.")],
    reason: Annotated[Reason, Form(description="Why this person is listed.")],
    db: DbSession,
    caller: Caller,
    context: Context,
    expires_at: Annotated[datetime | None, Form(description="When the entry lapses.")] = None,
) -> EntryPublic:
    """List a known joki from a photo that shows one usable face."""
    caller.require(Role.ADMIN)
    reading = context.reader.read(read_capped(photo, context.settings.max_upload_bytes))
    entry = watchlist.add_photo(
        db, reading, label=label, reason=reason, actor=caller.actor, expires_at=expires_at
    )
    db.commit()
    return _entries(db, [entry])[0]


@router.post("/watchlist/{entry_id}/removal", response_model=EntryPublic)
def remove_entry(
    entry_id: uuid.UUID, body: RemovalBody, db: DbSession, caller: Caller
) -> EntryPublic:
    caller.require(Role.ADMIN)
    entry = catalog.get(db, WatchlistEntry, entry_id, "watchlist entry", lock=True)
    watchlist.remove(db, entry, actor=caller.actor, reason=body.reason)
    db.commit()
    return _entries(db, [entry])[0]


@router.get("/watchlist-hits", response_model=list[HitPublic])
def list_hits(
    db: DbSession,
    caller: Caller,
    status: HitState | None = HitState.OPEN,
    venue_id: uuid.UUID | None = None,
) -> list[HitPublic]:
    """Hits, newest first (open ones by default); a proctor sees his venue's only."""
    caller.require(Role.ADMIN, Role.COMMITTEE, Role.PROCTOR)
    if caller.role is Role.PROCTOR:
        venue_id = caller.venue_id
    return [_hit(r) for r in watch_hits.find(db, venue_id=venue_id, status=status)]


@router.post("/watchlist-hits/{hit_id}/decision", response_model=HitDecided)
def decide_hit(hit_id: uuid.UUID, body: HitDecision, db: DbSession, caller: Caller) -> HitDecided:
    """`cleared`: not the listed person (a checkpoint whose face matched then passes);
    `confirmed`: it is him. Final, with a reason, audited."""
    caller.require(Role.ADMIN, Role.PROCTOR)
    hit = catalog.get(db, WatchlistHit, hit_id, "watchlist hit", lock=True)
    caller.check_venue(hit.venue_id, write=True)
    moved = decide_watchlist_hit(db, hit, body.verdict, actor=caller.actor, reason=body.reason)
    db.commit()
    row = watch_hits.row(db, hit.id)
    if row is None:  # pragma: no cover - its attempt cannot vanish in between
        raise NotFoundError(f"no watchlist hit {hit_id}", code=ErrorCode.NOT_FOUND)
    return HitDecided(hit=_hit(row), attempt_moved_on=moved)
