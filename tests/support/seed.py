"""Databases and data that tests and benchmarks set up without the API."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from proctor.exam import catalog
from proctor.exam.attempts import AttemptState, transition
from proctor.store.database import make_engine
from proctor.store.evidence import Incident
from proctor.store.exam import Attempt
from tests.support.sealing import sealed_sessions


@contextlib.contextmanager
def postgres_schema(admin_url: str) -> Iterator[str]:
    """A URL whose connections use a fresh schema, dropped (with everything in it) at exit."""
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(admin_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{admin_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def running_attempts(database_url: str, count: int, nik_key: bytes) -> list[tuple[str, str]]:
    """One venue and session with `count` stations, each with an attempt already in progress;
    returns (station id, attempt id) pairs."""
    engine = make_engine(database_url)
    out = []
    try:
        with sealed_sessions(engine)() as s:
            venue = catalog.create_venue(s, code="V", name="V", address="", actor="seed")
            exam = catalog.create_session(
                s,
                venue_id=venue.id,
                code="S",
                starts_at=datetime.now(UTC),
                duration_minutes=120,
                actor="seed",
            )
            for i in range(count):
                station = catalog.create_station(s, venue_id=venue.id, code=f"PC{i}", actor="seed")
                candidate, _ = catalog.upsert_candidate(
                    s,
                    participant_number=str(i + 1),
                    name="C",
                    formation="",
                    nik=None,
                    nik_key=nik_key,
                    actor="seed",
                )
                attempt = catalog.schedule_attempt(
                    s,
                    candidate_id=candidate.id,
                    session_id=exam.id,
                    station_id=station.id,
                    actor="seed",
                )
                transition(s, attempt, AttemptState.CHECKED_IN, actor="seed")
                transition(s, attempt, AttemptState.IN_PROGRESS, actor="seed")
                out.append((str(station.id), str(attempt.id)))
            s.commit()
    finally:
        engine.dispose()
    return out


def paused_incidents(session: Session, count: int, nik_key: bytes) -> list[Incident]:
    """`count` attempts in one venue, each paused with an incident filed (no evidence)."""
    venue = catalog.create_venue(
        session, code=f"V{secrets.token_hex(3)}", name="V", address="", actor="seed"
    )
    exam = catalog.create_session(
        session, venue_id=venue.id, code="S", starts_at=datetime.now(UTC),
        duration_minutes=120, actor="seed",
    )  # fmt: skip
    incidents = []
    for i in range(count):
        station = catalog.create_station(session, venue_id=venue.id, code=f"PC{i}", actor="seed")
        candidate, _ = catalog.upsert_candidate(
            session, participant_number=f"{venue.code}-{i}", name="C", formation="", nik=None,
            nik_key=nik_key, actor="seed",
        )  # fmt: skip
        attempt: Attempt = catalog.schedule_attempt(
            session, candidate_id=candidate.id, session_id=exam.id, station_id=station.id,
            actor="seed",
        )  # fmt: skip
        for state in (AttemptState.CHECKED_IN, AttemptState.IN_PROGRESS, AttemptState.PAUSED):
            transition(session, attempt, state, actor="seed")
        incident = Incident(attempt_id=attempt.id, reason="face_mismatch", details={"scores": []})
        session.add(incident)
        incidents.append(incident)
    session.flush()
    return incidents
