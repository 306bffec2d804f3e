"""Watchlist hits: a face that matched a listed person, raised at once to the venue's proctors.

    open -> cleared | confirmed

`cleared` says the face is not the listed person (a look-alike); `confirmed` says it is. Either
carries a reason and is final; the decision and its audit record share one transaction. What a
decision does to the checkpoint that raised the hit is `proctor.exam.checkpoints`' business.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.clock import utcnow
from proctor.identity.watchlist import WatchMatch
from proctor.reasons import reason_text
from proctor.store.exam import Attempt, Candidate, Station
from proctor.store.identity import WatchlistEntry, WatchlistHit
from proctor.transitions import require_move


class HitState(StrEnum):
    OPEN = "open"
    CLEARED = "cleared"
    CONFIRMED = "confirmed"


class HitPlace(StrEnum):
    CHECK_IN = "check_in"
    STATION_LOGIN = "station_login"
    REVERIFY = "reverify"
    SNAPSHOT = "snapshot"  # a live snapshot of a face_mismatch incident


H = HitState
TRANSITIONS: dict[HitState, frozenset[HitState]] = {
    H.OPEN: frozenset({H.CLEARED, H.CONFIRMED}),
    H.CLEARED: frozenset(),
    H.CONFIRMED: frozenset(),
}


def raise_hits(
    session: Session,
    matches: list[WatchMatch],
    *,
    place: HitPlace,
    attempt: Attempt,
    engine: str,
    threshold: float,
    checkpoint_id: uuid.UUID | None = None,
    incident_id: uuid.UUID | None = None,
) -> list[WatchlistHit]:
    """One open hit per matched entry, each audited (ids and scores only)."""
    station = session.get(Station, attempt.station_id)
    assert station is not None  # a foreign key
    hits = []
    for match in matches:
        hit = WatchlistHit(
            entry_id=match.entry_id,
            place=str(place),
            engine=engine,
            score=match.score,
            threshold=threshold,
            attempt_id=attempt.id,
            venue_id=station.venue_id,
            checkpoint_id=checkpoint_id,
            incident_id=incident_id,
            status=str(H.OPEN),
        )
        session.add(hit)
        session.flush()
        trail.record(
            session,
            actor="service",
            action="watchlist.hit",
            subject_type="watchlist_hit",
            subject_id=hit.id,
            entry_id=str(match.entry_id),
            attempt_id=str(attempt.id),
            place=str(place),
            score=round(match.score, 4),
            threshold=round(threshold, 4),
        )
        hits.append(hit)
    return hits


def decide(
    session: Session, hit: WatchlistHit, verdict: HitState, *, actor: str, reason: str
) -> None:
    current = HitState(hit.status)
    require_move(TRANSITIONS, current, verdict, what="a watchlist hit")
    hit.status, hit.decided_by, hit.decided_at = str(verdict), actor, utcnow()
    hit.reason = reason_text(reason)
    trail.record(
        session,
        actor=actor,
        action=f"watchlist_hit.{verdict}",
        subject_type="watchlist_hit",
        subject_id=hit.id,
        previous=str(current),
        reason=hit.reason,
    )


BLOCKING = (H.OPEN, H.CONFIRMED)  # no override lets the attempt on while one of these stands


def blocking(session: Session, attempt_id: uuid.UUID) -> list[WatchlistHit]:
    """The attempt's hits still open or confirmed (any checkpoint or snapshot)."""
    query = select(WatchlistHit).where(
        WatchlistHit.attempt_id == attempt_id,
        WatchlistHit.status.in_([str(s) for s in BLOCKING]),
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class HitRow:
    hit: WatchlistHit
    label: str
    participant_number: str
    station_code: str


def find(
    session: Session,
    *,
    venue_id: uuid.UUID | None = None,
    status: HitState | None = H.OPEN,
    attempt_id: uuid.UUID | None = None,
    hit_id: uuid.UUID | None = None,
    limit: int = 200,
) -> list[HitRow]:
    """Hits, newest first, with what a proctor needs to act: who was listed, for which
    candidate the face came, at which station."""
    query = (
        select(WatchlistHit, WatchlistEntry.label, Candidate.participant_number, Station.code)
        .join(WatchlistEntry, WatchlistEntry.id == WatchlistHit.entry_id)
        .join(Attempt, Attempt.id == WatchlistHit.attempt_id)
        .join(Candidate, Candidate.id == Attempt.candidate_id)
        .join(Station, Station.id == Attempt.station_id)
        .order_by(WatchlistHit.created_at.desc())
        .limit(limit)
    )
    if venue_id is not None:
        query = query.where(WatchlistHit.venue_id == venue_id)
    if status is not None:
        query = query.where(WatchlistHit.status == str(status))
    if attempt_id is not None:
        query = query.where(WatchlistHit.attempt_id == attempt_id)
    if hit_id is not None:
        query = query.where(WatchlistHit.id == hit_id)
    return [HitRow(*row) for row in session.execute(query)]


def row(session: Session, hit_id: uuid.UUID) -> HitRow | None:
    found = find(session, status=None, hit_id=hit_id, limit=1)
    return found[0] if found else None


def open_count(session: Session, venue_id: uuid.UUID) -> int:
    """A venue's open hits, counted: what the station grid polls every 2 seconds."""
    query = select(func.count()).where(
        WatchlistHit.venue_id == venue_id, WatchlistHit.status == str(H.OPEN)
    )
    return session.scalar(query) or 0
