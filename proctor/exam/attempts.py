"""The exam attempt's state machine and its clock.

    scheduled -> checked_in -> in_progress <-> paused -> finished | terminated

Allowed changes are the table below; every change goes through `transition`, which writes the
audit record in the same transaction and tells the station.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.clock import utcnow
from proctor.exam import events
from proctor.exam.candidate_search import candidate_matches
from proctor.store.evidence import AttemptFlag
from proctor.store.exam import Attempt, Candidate, Station
from proctor.transitions import require_move


class AttemptState(StrEnum):
    SCHEDULED = "scheduled"
    CHECKED_IN = "checked_in"
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"
    FINISHED = "finished"
    TERMINATED = "terminated"


S = AttemptState
TRANSITIONS: dict[AttemptState, frozenset[AttemptState]] = {
    S.SCHEDULED: frozenset({S.CHECKED_IN, S.TERMINATED}),
    S.CHECKED_IN: frozenset({S.IN_PROGRESS, S.TERMINATED}),
    S.IN_PROGRESS: frozenset({S.PAUSED, S.FINISHED, S.TERMINATED}),
    S.PAUSED: frozenset({S.IN_PROGRESS, S.TERMINATED}),
    S.FINISHED: frozenset(),
    S.TERMINATED: frozenset(),
}
# Observations are still stored in these states (late arrivals from an offline station).
ACCEPTS_OBSERVATIONS = frozenset({S.IN_PROGRESS, S.PAUSED, S.FINISHED, S.TERMINATED})


def transition(
    session: Session,
    attempt: Attempt,
    target: AttemptState,
    *,
    actor: str,
    reason: str | None = None,
    now: datetime | None = None,
    **details: Any,
) -> None:
    """Move `attempt` to `target`, keep the clock, and audit it. Raises `transition_invalid`."""
    current = AttemptState(attempt.state)
    require_move(TRANSITIONS, current, target, what="an attempt")
    now = now or utcnow()
    if target is S.IN_PROGRESS and current is S.CHECKED_IN:
        attempt.started_at = now
    elif target is S.PAUSED:
        attempt.paused_at = now
    elif current is S.PAUSED:
        # The exam clock stopped at the pause: the time lost is given back.
        lost = max(0.0, (now - attempt.paused_at).total_seconds()) if attempt.paused_at else 0.0
        attempt.paused_seconds += lost
        attempt.paused_at = None
        details["seconds_added"] = round(lost, 3)
    if target in (S.FINISHED, S.TERMINATED):
        attempt.ended_at = now
    attempt.state = str(target)
    trail.record(
        session,
        actor=actor,
        action=f"attempt.{target}",
        subject_type="attempt",
        subject_id=attempt.id,
        previous=str(current),
        reason=reason,
        **details,
    )
    events.emit(session, events.StationEvent(attempt.station_id, attempt.id, str(target), reason))


def remaining_seconds(attempt: Attempt, duration_minutes: int, now: datetime) -> float | None:
    """Exam time left; the clock stands still while paused. None before the exam starts."""
    if attempt.started_at is None:
        return None
    end = attempt.ended_at or attempt.paused_at or now
    used = (end - attempt.started_at).total_seconds() - attempt.paused_seconds
    return max(0.0, timedelta(minutes=duration_minutes).total_seconds() - used)


def show_live(attempt: Attempt, blob_id: uuid.UUID, taken_at: datetime) -> None:
    """Keep `blob_id` as the attempt's live picture unless a newer one is kept already (a
    station's batch can arrive after a later checkpoint)."""
    if attempt.live_at is None or taken_at >= attempt.live_at:
        attempt.live_blob_id, attempt.live_at = blob_id, taken_at


# -- reads ----------------------------------------------------------------------------------
def find(
    session: Session,
    *,
    venue_id: uuid.UUID | None = None,
    session_id: uuid.UUID | None = None,
    state: AttemptState | None = None,
    limit: int = 200,
) -> list[Attempt]:
    """Attempts in creation order, narrowed to a venue, an exam session, a state."""
    query = select(Attempt).join(Station, Station.id == Attempt.station_id)
    if venue_id is not None:
        query = query.where(Station.venue_id == venue_id)
    if session_id is not None:
        query = query.where(Attempt.session_id == session_id)
    if state is not None:
        query = query.where(Attempt.state == str(state))
    return list(session.scalars(query.order_by(Attempt.created_at).limit(limit)))


def waiting_at_desk(
    session: Session,
    states: Iterable[AttemptState],
    *,
    venue_id: uuid.UUID | None,
    limit: int,
    search: str | None = None,
) -> list[Attempt]:
    """Attempts in `states` (to check in, to re-verify) by state and station; `search` narrows
    them to candidates by participant number or name."""
    query = (
        select(Attempt)
        .join(Station, Station.id == Attempt.station_id)
        .where(Attempt.state.in_([str(s) for s in states]))
        .order_by(Attempt.state, Station.code)
    )
    if venue_id is not None:
        query = query.where(Station.venue_id == venue_id)
    if search and search.strip():
        query = query.join(Candidate, Candidate.id == Attempt.candidate_id).where(
            candidate_matches(search)
        )
    return list(session.scalars(query.limit(limit)))


def flags(session: Session, attempt_id: uuid.UUID) -> list[AttemptFlag]:
    """Conditions the policy noticed, oldest first."""
    query = select(AttemptFlag).where(AttemptFlag.attempt_id == attempt_id)
    return list(session.scalars(query.order_by(AttemptFlag.raised_at)))
