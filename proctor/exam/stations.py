"""What a station shows: its current attempt, the exam clock, and the notice when stopped."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from proctor.exam.attempts import AttemptState, remaining_seconds
from proctor.store.evidence import Incident
from proctor.store.exam import Attempt, Station

# Bahasa Indonesia first: it is what the candidate reads.
NOTICES: dict[AttemptState, tuple[str, str]] = {
    AttemptState.PAUSED: (
        "Ujian dihentikan sementara. Soal disembunyikan sampai pengawas memverifikasi ulang "
        "identitas Anda. Tetap di tempat duduk dan tunggu pengawas.",
        "The exam is paused. The questions are hidden until a proctor re-verifies your "
        "identity. Stay seated and wait for the proctor.",
    ),
    AttemptState.TERMINATED: (
        "Ujian Anda dihentikan oleh panitia. Silakan hubungi pengawas.",
        "Your exam was terminated by the committee. Please speak to a proctor.",
    ),
    AttemptState.FINISHED: ("Ujian selesai. Terima kasih.", "The exam is finished. Thank you."),
    AttemptState.CHECKED_IN: (
        "Silakan login dengan verifikasi wajah untuk memulai ujian.",
        "Please log in with face verification to start the exam.",
    ),
}
_CURRENT_ORDER = (AttemptState.PAUSED, AttemptState.IN_PROGRESS, AttemptState.CHECKED_IN)


@dataclass(frozen=True)
class AttemptStatus:
    attempt: Attempt
    remaining_seconds: float | None
    open_incident: Incident | None

    @property
    def notice(self) -> tuple[str, str] | None:
        return NOTICES.get(AttemptState(self.attempt.state))


def attempt_status(session: Session, attempt: Attempt, now: datetime) -> AttemptStatus:
    incident = None
    if attempt.state == AttemptState.PAUSED:
        incident = session.scalar(
            select(Incident)
            .where(Incident.attempt_id == attempt.id)
            .order_by(Incident.opened_at.desc())
            .limit(1)
        )
    return AttemptStatus(
        attempt, remaining_seconds(attempt, attempt.session.duration_minutes, now), incident
    )


def current_attempt(session: Session, station_id: uuid.UUID) -> Attempt | None:
    """The attempt the station is serving: paused or running first, then one checked in."""
    return current_attempts(session, [station_id]).get(station_id)


def current_attempts(
    session: Session, station_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Attempt]:
    """The attempt each station is serving (stations serving none are left out), with its
    candidate loaded, in one query."""
    candidates = session.scalars(
        select(Attempt)
        .options(joinedload(Attempt.candidate), joinedload(Attempt.session))
        .where(
            Attempt.station_id.in_(list(station_ids)),
            Attempt.state.in_([str(s) for s in _CURRENT_ORDER]),
        )
    ).all()
    ranked = sorted(
        candidates,
        key=lambda a: (_CURRENT_ORDER.index(AttemptState(a.state)), -a.created_at.timestamp()),
    )
    chosen: dict[uuid.UUID, Attempt] = {}
    for attempt in ranked:
        chosen.setdefault(attempt.station_id, attempt)
    return chosen


def record_heartbeat(session: Session, station_id: uuid.UUID, status: dict, now: datetime) -> None:
    """What the agent last reported; proctors see a station that went quiet. Not audited: a
    heartbeat changes no state of the exam."""
    station = session.get(Station, station_id)
    if station is not None:
        station.last_heartbeat_at = now
        station.agent_status = status
