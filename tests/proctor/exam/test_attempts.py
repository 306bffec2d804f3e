"""The attempt state table and the exam clock."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from proctor.errors import ConflictError, ErrorCode
from proctor.exam.attempts import TRANSITIONS, AttemptState, remaining_seconds, transition
from proctor.exam.events import take_pending
from proctor.store.exam import Attempt

S = AttemptState
T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def fresh(state: AttemptState = S.SCHEDULED) -> Attempt:
    return Attempt(
        id=uuid.uuid4(),
        station_id=uuid.uuid4(),
        state=str(state),
        paused_seconds=0.0,
        policy_floor_seq=-1,
    )


def test_the_table_is_the_documented_lifecycle():
    assert TRANSITIONS[S.SCHEDULED] == {S.CHECKED_IN, S.TERMINATED}
    assert TRANSITIONS[S.CHECKED_IN] == {S.IN_PROGRESS, S.TERMINATED}
    assert TRANSITIONS[S.IN_PROGRESS] == {S.PAUSED, S.FINISHED, S.TERMINATED}
    assert TRANSITIONS[S.PAUSED] == {S.IN_PROGRESS, S.TERMINATED}
    assert TRANSITIONS[S.FINISHED] == TRANSITIONS[S.TERMINATED] == frozenset()


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_transition_is_allowed_or_refused_by_the_table(session, current, target):
    attempt = fresh(current)
    attempt.paused_at = T0 if current is S.PAUSED else None
    if target in TRANSITIONS[current]:
        transition(session, attempt, target, actor="test", now=T0 + timedelta(minutes=1))
        assert attempt.state == target
        (record,) = session.added
        assert record.action == f"attempt.{target}"
        assert record.details["previous"] == current
        (event,) = take_pending(session)
        assert event.state == target and event.attempt_id == attempt.id
    else:
        with pytest.raises(ConflictError) as raised:
            transition(session, attempt, target, actor="test")
        assert raised.value.code is ErrorCode.TRANSITION_INVALID
        assert attempt.state == current
        assert session.added == [] and take_pending(session) == []


def test_the_clock_stops_while_paused_and_the_time_is_given_back(session):
    attempt = fresh(S.CHECKED_IN)
    transition(session, attempt, S.IN_PROGRESS, actor="t", now=T0)
    assert remaining_seconds(attempt, 100, T0 + timedelta(minutes=10)) == 90 * 60
    transition(session, attempt, S.PAUSED, actor="t", now=T0 + timedelta(minutes=10))
    # Paused for seven minutes: the remaining time does not move.
    assert remaining_seconds(attempt, 100, T0 + timedelta(minutes=17)) == 90 * 60
    transition(session, attempt, S.IN_PROGRESS, actor="t", now=T0 + timedelta(minutes=17))
    assert attempt.paused_seconds == 7 * 60
    assert session.added[-1].details["seconds_added"] == 420.0
    assert remaining_seconds(attempt, 100, T0 + timedelta(minutes=27)) == 80 * 60
    transition(session, attempt, S.FINISHED, actor="t", now=T0 + timedelta(minutes=30))
    assert remaining_seconds(attempt, 100, T0 + timedelta(hours=5)) == 77 * 60


def test_no_clock_before_the_exam_starts():
    assert remaining_seconds(fresh(S.CHECKED_IN), 100, T0) is None
