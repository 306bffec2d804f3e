"""Judging one observation at a time from a small kept state (`advance`) gives exactly what the
policy gives over the whole history (`evaluate`), on random histories and policies."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from proctor.exam import policy_state
from proctor.exam.policy import (
    CameraState,
    Judged,
    ObservationPolicy,
    Sample,
    advance,
    evaluate,
)

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
PROBLEMS = ["blurry", "too_dark", "face_too_small", "pose_yaw", "pose_pitch", "occluded"]


@st.composite
def policies(draw) -> ObservationPolicy:
    n = draw(st.integers(1, 8))
    return ObservationPolicy(
        mismatch_n=n,
        mismatch_k=draw(st.integers(1, n)),
        multiple_faces_k=draw(st.integers(1, n)),
        camera_consecutive=draw(st.integers(1, 5)),
        absent_seconds=draw(st.sampled_from([0.5, 2.0, 10.0])),
        unclear_seconds=draw(st.sampled_from([0.5, 3.0, 15.0])),
        pause_on_absence=draw(st.booleans()),
        pause_on_unclear=draw(st.booleans()),
        pause_on_multiple_faces=draw(st.booleans()),
    )


@st.composite
def histories(draw) -> list[Sample]:
    steps = draw(st.lists(st.sampled_from([0.0, 0.5, 0.5, 1.0, 3.0, -0.5]), max_size=60))
    samples, at = [], T0
    for step in steps:  # mostly forward; a station clock may repeat or step back
        at += timedelta(seconds=step)
        faces = draw(st.sampled_from([0, 1, 1, 1, 2]))
        samples.append(
            Sample(
                observed_at=at,
                face_count=faces,
                score=None if faces == 0 else draw(st.sampled_from([0.05, 0.2, 0.3, 0.5, 0.9])),
                camera=draw(st.sampled_from([CameraState.OK] * 5 + list(CameraState))),
                liveness_flags=tuple(draw(st.lists(st.just("screen"), max_size=1))),
                face_problems=tuple(draw(st.lists(st.sampled_from(PROBLEMS), max_size=2))),
            )
        )
    return samples


@settings(max_examples=400, deadline=None)
@given(histories(), policies(), st.sampled_from([None, 0.25]))
def test_one_at_a_time_equals_the_whole_history(samples, policy, floor):
    state = Judged()
    for i, sample in enumerate(samples):
        state, verdict = advance(state, sample, policy, 0.36, fault_floor=floor)
        assert verdict == evaluate(samples[: i + 1], policy, 0.36, fault_floor=floor), i
        assert state.flags == verdict.flags


@settings(max_examples=100, deadline=None)
@given(histories(), policies())
def test_the_kept_state_reads_back_as_written_under_the_same_settings_only(samples, policy):
    state = Judged()
    for sample in samples:
        state, _ = advance(state, sample, policy, 0.36)
    digest = policy_state.settings_digest(policy, 0.36, None)
    data = json.loads(json.dumps(policy_state.dump(state, len(samples), digest)))  # as stored
    assert policy_state.load(data, digest) == (state, len(samples))
    assert policy_state.load(data, policy_state.settings_digest(policy, 0.4, None)) is None
    assert policy_state.load(None, digest) is None
    for damaged in ({**data, "recent": [["yesterday"]]}, {**data, "flags": ["nonsense"]},
                    {"settings": digest}):  # fmt: skip
        assert policy_state.load(damaged, digest) is None  # rebuilt from the stored, no failure
