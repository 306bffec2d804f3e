"""Routine observations wait a little to share a request; anything the server's policy could act
on goes at once, with whatever waits before it (so batching never delays a pause)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from proctor.cameras.agent import due, urgent

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def routine(seconds_ago: float) -> dict:
    at = NOW - timedelta(seconds=seconds_ago)
    return {"observed_at": at.isoformat(), "face_count": 1, "score": 0.8, "camera": "ok"}


@pytest.mark.parametrize(
    "change",
    [
        {"snapshot_jpeg": "..."},  # a low score (the agent attaches a snapshot)
        {"face_count": 0, "score": None},
        {"face_count": 2},
        {"camera": "covered"},
        {"liveness_flags": ["screen"]},
        {"face_problems": ["pose_yaw"]},
    ],
)
def test_anything_the_policy_could_act_on_goes_at_once(change):
    assert urgent({**routine(0), **change})
    waiting = [routine(0.5), {**routine(0), **change}]
    assert due(waiting, batch=50, hold_seconds=2.0, now=NOW)


def test_routine_observations_wait_for_the_hold_or_a_full_batch():
    assert not urgent(routine(0))
    assert not due([], batch=50, hold_seconds=2.0, now=NOW)
    assert not due([routine(1.5), routine(1.0), routine(0.5)], 50, 2.0, NOW)
    assert due([routine(2.0), routine(1.5)], 50, 2.0, NOW)  # the oldest has waited enough
    assert due([routine(0.5), routine(0)], batch=2, hold_seconds=2.0, now=NOW)  # full
    assert due([routine(0)], batch=50, hold_seconds=0.0, now=NOW)  # holding switched off
