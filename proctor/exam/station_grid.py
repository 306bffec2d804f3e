"""What a proctor's station grid shows for each station of a venue: the attempt it serves and
its state, the last heartbeat, the last score, and the flags raised (`watchlist` while a
watchlist hit on the attempt waits for the proctors)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.clock import utcnow
from proctor.exam.attempts import AttemptState, remaining_seconds
from proctor.exam.stations import current_attempts
from proctor.store.evidence import AttemptFlag, Incident
from proctor.store.exam import RegistrationPhoto, Station
from proctor.store.identity import WatchlistHit

WATCHLIST_FLAG = "watchlist"
QUIET_AFTER_SECONDS = 30  # no heartbeat for this long: the station has gone quiet


@dataclass(frozen=True)
class StationRow:
    station_id: str
    code: str
    participant: str | None
    attempt_id: str | None
    state: str
    last_heartbeat: datetime | None
    quiet: bool
    camera: str | None
    last_score: float | None
    flags: list[str]
    candidate_name: str | None = None
    photo_id: str | None = None  # the candidate's first registration photo
    remaining_seconds: float | None = None  # exam time left (standing still while paused)
    incident_id: str | None = None  # the open incident of a paused attempt
    live_at: datetime | None = None  # when the newest live picture of the attempt was taken


def grid(session: Session, venue_id: uuid.UUID) -> list[StationRow]:
    """Seven queries whatever the venue's size (stations; their current attempts with the
    candidates and sessions; those attempts' flags; their open watchlist hits; their open
    incidents; the candidates' first photos): the open grids read this on every change."""
    now = utcnow()
    stations = session.scalars(
        select(Station).where(Station.venue_id == venue_id).order_by(Station.code)
    ).all()
    attempts = current_attempts(session, [s.id for s in stations])
    flags: dict[uuid.UUID, set[str]] = defaultdict(set)
    if attempts:
        raised = session.execute(
            select(AttemptFlag.attempt_id, AttemptFlag.kind)
            .where(AttemptFlag.attempt_id.in_([a.id for a in attempts.values()]))
            .distinct()
        )
        for attempt_id, kind in raised:
            flags[attempt_id].add(kind)
        listed = session.scalars(
            select(WatchlistHit.attempt_id)
            .where(WatchlistHit.attempt_id.in_([a.id for a in attempts.values()]))
            .where(WatchlistHit.status == "open")
            .distinct()
        )
        for attempt_id in listed:
            flags[attempt_id].add(WATCHLIST_FLAG)
    incidents, photos = (
        _open_incidents(session, attempts.values()),
        _first_photos(session, [a.candidate_id for a in attempts.values()]),
    )
    rows = []
    for station in stations:
        attempt = attempts.get(station.id)
        score = attempt.last_score if attempt else None
        beat = station.last_heartbeat_at
        rows.append(
            StationRow(
                station_id=str(station.id),
                code=station.code,
                participant=attempt.candidate.participant_number if attempt else None,
                attempt_id=str(attempt.id) if attempt else None,
                state=attempt.state if attempt else "idle",
                last_heartbeat=beat,
                quiet=beat is None or (now - beat).total_seconds() > QUIET_AFTER_SECONDS,
                camera=(station.agent_status or {}).get("camera"),
                last_score=None if score is None else round(score, 3),
                flags=sorted(flags[attempt.id]) if attempt else [],
                candidate_name=attempt.candidate.name if attempt else None,
                photo_id=photos.get(attempt.candidate_id) if attempt else None,
                remaining_seconds=_left(attempt, now),
                incident_id=incidents.get(attempt.id) if attempt else None,
                live_at=attempt.live_at if attempt else None,
            )
        )
    return rows


def _left(attempt, now: datetime) -> float | None:
    return (
        None
        if attempt is None
        else remaining_seconds(attempt, attempt.session.duration_minutes, now)
    )


def _open_incidents(session: Session, attempts) -> dict[uuid.UUID, str]:
    """The newest open incident of each paused attempt."""
    paused = [a.id for a in attempts if a.state == AttemptState.PAUSED]
    if not paused:
        return {}
    rows = session.execute(
        select(Incident.attempt_id, Incident.id)
        .where(Incident.attempt_id.in_(paused))
        .order_by(Incident.opened_at)
    )
    return {attempt_id: str(incident_id) for attempt_id, incident_id in rows}


def _first_photos(session: Session, candidate_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not candidate_ids:
        return {}
    rows = session.execute(
        select(RegistrationPhoto.candidate_id, RegistrationPhoto.id)
        .where(RegistrationPhoto.candidate_id.in_(candidate_ids))
        .order_by(RegistrationPhoto.created_at.desc())
    )
    return {candidate_id: str(photo_id) for candidate_id, photo_id in rows}  # oldest wins
