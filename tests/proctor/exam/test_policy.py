"""The continuous-verification policy, as a pure function of recent observations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from proctor.exam.policy import (
    CameraState,
    Flag,
    ObservationPolicy,
    PauseReason,
    Sample,
    absent_for,
    evaluate,
)

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
THRESHOLD = 0.36


def seen(scores: list[float | None], *, faces: int = 1, step: float = 0.5) -> list[Sample]:
    return [Sample(T0 + timedelta(seconds=i * step), faces, s) for i, s in enumerate(scores)]


def test_nothing_to_judge():
    assert evaluate([], ObservationPolicy(), THRESHOLD).pause is None


def test_k_of_n_mismatches_pause_but_fewer_only_flag():
    policy = ObservationPolicy(mismatch_k=3, mismatch_n=5)
    two = evaluate(seen([0.8, 0.1, 0.8, 0.2, 0.8]), policy, THRESHOLD)
    assert two.pause is None
    assert two.flags == {Flag.MISMATCH}
    three = evaluate(seen([0.8, 0.1, 0.8, 0.2, 0.3]), policy, THRESHOLD)
    assert three.pause is PauseReason.FACE_MISMATCH


def test_mismatches_older_than_the_window_do_not_count():
    policy = ObservationPolicy(mismatch_k=3, mismatch_n=5)
    verdict = evaluate(seen([0.1, 0.1, 0.8, 0.8, 0.8, 0.8, 0.1]), policy, THRESHOLD)
    assert verdict.pause is None


def test_a_score_at_the_threshold_is_a_match():
    policy = ObservationPolicy(mismatch_k=1, mismatch_n=1, multiple_faces_k=1)
    assert evaluate(seen([THRESHOLD]), policy, THRESHOLD).pause is None
    assert evaluate(seen([THRESHOLD - 1e-6]), policy, THRESHOLD).pause is not None


def test_no_face_is_absence_not_mismatch():
    policy = ObservationPolicy(mismatch_k=1, mismatch_n=1, multiple_faces_k=1)
    verdict = evaluate(seen([None], faces=0), policy, THRESHOLD)
    assert verdict.pause is None
    assert Flag.MISMATCH not in verdict.flags


def test_absence_is_timed_from_the_last_sighting():
    samples = [*seen([0.8]), *seen([None] * 4, faces=0, step=4)]  # last sighting at T0
    assert absent_for(samples) == 12.0
    assert absent_for(seen([0.8, 0.8])) == 0.0
    policy = ObservationPolicy(absent_seconds=10)
    assert evaluate(samples, policy, THRESHOLD).flags == {Flag.FACE_ABSENT}
    assert evaluate(samples, policy, THRESHOLD).pause is None
    strict = ObservationPolicy(absent_seconds=10, pause_on_absence=True)
    assert evaluate(samples, strict, THRESHOLD).pause is PauseReason.FACE_ABSENT


def test_a_blocked_camera_pauses_after_consecutive_observations():
    policy = ObservationPolicy(camera_consecutive=2)
    covered = Sample(T0, 0, None, CameraState.COVERED)
    once = evaluate([*seen([0.8]), covered], policy, THRESHOLD)
    assert (once.pause, once.flags) == (None, {Flag.CAMERA})
    lost = Sample(T0 + timedelta(seconds=1), 0, None, CameraState.LOST)
    assert evaluate([covered, lost], policy, THRESHOLD).pause is PauseReason.CAMERA_BLOCKED
    # A blocked camera takes precedence over a mismatch in the same window.
    mixed = [*seen([0.1, 0.1, 0.1]), covered, lost]
    assert evaluate(mixed, ObservationPolicy(), THRESHOLD).pause is PauseReason.CAMERA_BLOCKED


def test_several_faces_flag_and_can_be_configured_to_pause():
    samples = seen([0.8, 0.8, 0.8], faces=2)
    assert evaluate(samples, ObservationPolicy(), THRESHOLD).flags == {Flag.MULTIPLE_FACES}
    assert evaluate(samples, ObservationPolicy(), THRESHOLD).pause is None
    strict = ObservationPolicy(pause_on_multiple_faces=True)
    assert evaluate(samples, strict, THRESHOLD).pause is PauseReason.MULTIPLE_FACES


def test_liveness_flags_are_raised():
    sample = Sample(T0, 1, 0.8, liveness_flags=("screen_replay",))
    assert evaluate([sample], ObservationPolicy(), THRESHOLD).flags == {Flag.LIVENESS}


@pytest.mark.parametrize(
    "values", [{"mismatch_k": 6, "mismatch_n": 5}, {"mismatch_k": 0}, {"unknown": 1}]
)
def test_policy_configuration_is_validated(values):
    with pytest.raises(ValidationError):
        ObservationPolicy(**values)


def unclear(scores: list[float], problems: tuple[str, ...] = ("pose_pitch",)) -> list[Sample]:
    return [
        Sample(T0 + timedelta(seconds=i * 0.5), 1, s, face_problems=problems if s < THRESHOLD
               else ()) for i, s in enumerate(scores)
    ]  # fmt: skip


def test_a_low_score_on_a_face_that_could_not_be_read_is_uncertain_not_a_mismatch():
    policy = ObservationPolicy(mismatch_k=3, mismatch_n=5)
    looking_down = unclear([0.8, 0.2, 0.25, 0.1, 0.3])  # four low scores, all of a turned face
    verdict = evaluate(looking_down, policy, THRESHOLD)
    assert verdict.pause is None and Flag.MISMATCH not in verdict.flags
    assert all(s.is_uncertain(THRESHOLD) and not s.is_mismatch(THRESHOLD) for s in looking_down[1:])
    # A face read clearly below the threshold is a mismatch as before, among uncertain ones.
    mixed = looking_down[:3] + seen([0.1, 0.1, 0.1])[:3]
    mixed = [Sample(T0 + timedelta(seconds=i * 0.5), 1, s.score, face_problems=s.face_problems)
             for i, s in enumerate(mixed)]  # fmt: skip
    assert evaluate(mixed, policy, THRESHOLD).pause is PauseReason.FACE_MISMATCH
    # A problem never excuses a match: above the threshold it is a match.
    assert not Sample(T0, 1, 0.9, face_problems=("too_dark",)).is_uncertain(THRESHOLD)


def test_a_long_run_of_uncertain_observations_is_flagged_and_can_pause():
    policy = ObservationPolicy(unclear_seconds=10)
    run = unclear([0.2] * 21)  # ten seconds at two a second
    assert Flag.FACE_UNCLEAR not in evaluate(run[:20], policy, THRESHOLD).flags  # 9.5 s
    verdict = evaluate(run, policy, THRESHOLD)
    assert Flag.FACE_UNCLEAR in verdict.flags and verdict.pause is None
    broken = unclear([0.2] * 10 + [0.8] + [0.2] * 10)  # a clear match ends the run
    assert Flag.FACE_UNCLEAR not in evaluate(broken, policy, THRESHOLD).flags
    pausing = ObservationPolicy(unclear_seconds=10, pause_on_unclear=True)
    assert evaluate(run, pausing, THRESHOLD).pause is PauseReason.FACE_UNCLEAR


def test_faults_of_the_picture_excuse_a_score_down_to_the_floor_only():
    """A proxy whose face is always blurred scores far lower than a blurred genuine face."""
    policy = ObservationPolicy(mismatch_k=3, mismatch_n=5)
    floor = 0.25
    blurred_proxy = unclear([0.8, 0.1, 0.12, 0.09], problems=("blurry", "low_contrast"))
    verdict = evaluate(blurred_proxy, policy, THRESHOLD, fault_floor=floor)
    assert verdict.pause is PauseReason.FACE_MISMATCH
    assert all(s.is_mismatch(THRESHOLD, floor) for s in blurred_proxy[1:])
    # Without a floor (an engine without a model card) the faults excuse any score.
    assert evaluate(blurred_proxy, policy, THRESHOLD).pause is None
    # A blurred genuine face just under the threshold stays uncertain.
    blurred_candidate = unclear([0.8, 0.3, 0.32, 0.28, 0.3], problems=("blurry",))
    assert evaluate(blurred_candidate, policy, THRESHOLD, fault_floor=floor).pause is None
    assert all(s.is_uncertain(THRESHOLD, floor) for s in blurred_candidate[1:])
    # A turned or hidden face excuses any score, with faults of the picture or without.
    for problems in (("pose_pitch",), ("face_hidden", "blurry")):
        bowed = unclear([0.8, 0.05, 0.02, 0.1, 0.0], problems=problems)
        assert evaluate(bowed, policy, THRESHOLD, fault_floor=floor).pause is None


def test_the_floor_is_a_level_on_the_engines_own_scale():
    from proctor.faces.match_level import level_of, score_at
    from proctor.models.cards import load_card

    card = load_card("sface")
    floor = score_at(ObservationPolicy().fault_excuse_level, card.threshold, "sface")
    assert card.impostor_mean < floor < card.threshold
    assert level_of(floor, card.threshold, "sface").value == 30
    assert score_at(50, card.threshold, "sface") == pytest.approx(card.threshold)
    assert score_at(30, 0.9, "fake") is None  # no model card, no impostor mean
