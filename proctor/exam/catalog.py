"""Reference data an administrator creates: venues, exam sessions, stations, candidates."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from proctor import local_time
from proctor.audit import trail
from proctor.errors import ConflictError, ErrorCode, NotFoundError
from proctor.exam.nik import nik_digest
from proctor.store.exam import (
    Attempt,
    Candidate,
    ExamSession,
    RegistrationPhoto,
    Station,
    Venue,
)

T = TypeVar("T")


def get(
    session: Session, model: type[T], record_id: uuid.UUID, what: str, *, lock: bool = False
) -> T:
    """Load by id or raise `not_found` naming what was looked for. `lock` takes the row lock
    (PostgreSQL) for the transaction, so concurrent changes to one record queue up."""
    found = session.get(model, record_id, with_for_update=lock)
    if found is None:
        raise NotFoundError(f"no {what} {record_id}", code=ErrorCode.NOT_FOUND, id=str(record_id))
    return found


def _exists(message: str) -> ConflictError:
    return ConflictError(message, code=ErrorCode.ALREADY_EXISTS)


def create_venue(
    session: Session,
    *,
    code: str,
    name: str,
    address: str,
    actor: str,
    time_zone: str = local_time.DEFAULT_ZONE,
) -> Venue:
    local_time.zone_info(time_zone)  # the API's schema already holds it to the three zones
    if session.scalar(select(Venue.id).where(Venue.code == code)):
        raise _exists(f"venue code {code!r} is taken")
    venue = Venue(code=code, name=name, address=address, time_zone=time_zone)
    session.add(venue)
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="venue.created",
        subject_type="venue",
        subject_id=venue.id,
        code=code,
        time_zone=time_zone,
    )
    return venue


def set_time_zone(session: Session, venue: Venue, zone: str, *, actor: str) -> None:
    local_time.zone_info(zone)
    if venue.time_zone == zone:
        return
    trail.record(
        session,
        actor=actor,
        action="venue.time_zone_changed",
        subject_type="venue",
        subject_id=venue.id,
        before=venue.time_zone,
        after=zone,
    )
    venue.time_zone = zone


def create_session(
    session: Session,
    *,
    venue_id: uuid.UUID,
    code: str,
    starts_at: datetime,
    duration_minutes: int,
    actor: str,
) -> ExamSession:
    get(session, Venue, venue_id, "venue")
    taken = select(ExamSession.id).where(ExamSession.venue_id == venue_id, ExamSession.code == code)
    if session.scalar(taken):
        raise _exists(f"session code {code!r} is taken at this venue")
    exam = ExamSession(
        venue_id=venue_id, code=code, starts_at=starts_at, duration_minutes=duration_minutes
    )
    session.add(exam)
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="session.created",
        subject_type="session",
        subject_id=exam.id,
        venue_id=str(venue_id),
        code=code,
    )
    return exam


def create_station(session: Session, *, venue_id: uuid.UUID, code: str, actor: str) -> Station:
    get(session, Venue, venue_id, "venue")
    if session.scalar(select(Station.id).where(Station.venue_id == venue_id, Station.code == code)):
        raise _exists(f"station code {code!r} is taken at this venue")
    station = Station(venue_id=venue_id, code=code)
    session.add(station)
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="station.created",
        subject_type="station",
        subject_id=station.id,
        venue_id=str(venue_id),
        code=code,
    )
    return station


def upsert_candidate(
    session: Session,
    *,
    participant_number: str,
    name: str,
    formation: str,
    nik: str | None,
    nik_key: bytes,
    actor: str,
    allow_existing: bool = False,
) -> tuple[Candidate, bool]:
    """Create a candidate, or (with `allow_existing`, as bulk import does) update the one with
    this participant number. Returns the candidate and whether it was created."""
    nik_hash = nik_digest(nik, nik_key) if nik else None
    candidate = session.scalar(
        select(Candidate).where(Candidate.participant_number == participant_number)
    )
    if candidate is not None and not allow_existing:
        raise _exists(f"participant number {participant_number!r} is registered")
    if nik_hash is not None:
        holder = session.scalar(select(Candidate).where(Candidate.nik_hash == nik_hash))
        if holder is not None and holder is not candidate:
            raise _exists("this NIK is registered under another participant number")
    created = candidate is None
    if candidate is None:
        candidate = Candidate(participant_number=participant_number, name=name)
        session.add(candidate)
    new_nik = nik_hash if nik_hash is not None else candidate.nik_hash
    changed = (candidate.name, candidate.formation, candidate.nik_hash) != (
        name,
        formation,
        new_nik,
    )
    candidate.name, candidate.formation, candidate.nik_hash = name, formation, new_nik
    session.flush()
    if created or changed:
        trail.record(
            session,
            actor=actor,
            action="candidate.created" if created else "candidate.updated",
            subject_type="candidate",
            subject_id=candidate.id,
            participant_number=participant_number,
            nik_recorded=nik_hash is not None,
        )
    return candidate, created


def schedule_attempt(
    session: Session,
    *,
    candidate_id: uuid.UUID,
    session_id: uuid.UUID,
    station_id: uuid.UUID,
    actor: str,
) -> Attempt:
    get(session, Candidate, candidate_id, "candidate")
    exam = get(session, ExamSession, session_id, "session")
    station = get(session, Station, station_id, "station")
    if station.venue_id != exam.venue_id:
        raise ConflictError(
            "the station and the session are at different venues", code=ErrorCode.REQUEST_INVALID
        )
    taken = select(Attempt.id).where(
        Attempt.candidate_id == candidate_id, Attempt.session_id == session_id
    )
    if session.scalar(taken):
        raise _exists("this candidate already has an attempt in this session")
    attempt = Attempt(candidate_id=candidate_id, session_id=session_id, station_id=station_id)
    session.add(attempt)
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="attempt.scheduled",
        subject_type="attempt",
        subject_id=attempt.id,
        candidate_id=str(candidate_id),
        session_id=str(session_id),
        station_id=str(station_id),
    )
    return attempt


# -- reads ----------------------------------------------------------------------------------
def venues(session: Session, *, only: uuid.UUID | None = None) -> list[Venue]:
    """Every venue by code (or just `only`, a proctor's own)."""
    query = select(Venue).order_by(Venue.code)
    if only is not None:
        query = query.where(Venue.id == only)
    return list(session.scalars(query))


def sessions_of(session: Session, venue_id: uuid.UUID) -> list[ExamSession]:
    query = select(ExamSession).where(ExamSession.venue_id == venue_id)
    return list(session.scalars(query.order_by(ExamSession.starts_at)))


def stations_of(session: Session, venue_id: uuid.UUID) -> list[Station]:
    query = select(Station).where(Station.venue_id == venue_id).order_by(Station.code)
    return list(session.scalars(query))


def candidates(session: Session, *, offset: int, limit: int) -> list[tuple[Candidate, int]]:
    """Candidates by participant number, each with the number of registration photos."""
    counts = (
        select(RegistrationPhoto.candidate_id, func.count().label("n"))
        .group_by(RegistrationPhoto.candidate_id)
        .subquery()
    )
    rows = session.execute(
        select(Candidate, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.candidate_id == Candidate.id)
        .order_by(Candidate.participant_number)
        .offset(offset)
        .limit(limit)
    ).all()
    return [(candidate, count) for candidate, count in rows]


def participant_numbers(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(Candidate.id, Candidate.participant_number).where(Candidate.id.in_(wanted))
    )
    return {candidate_id: number for candidate_id, number in rows}
