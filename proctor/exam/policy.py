"""The continuous-verification policy: pure functions from recent observations to a verdict.

A station reports what its camera saw; this module alone decides whether that is reason to stop
the exam. It knows nothing of the database, so it can be unit-tested and replayed on clips.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from proctor.faces.quality import IMAGE_FAULTS


class CameraState(StrEnum):
    OK = "ok"
    COVERED = "covered"  # dark or blocked lens
    FROZEN = "frozen"  # the same frame again and again
    LOST = "lost"  # the device stopped delivering frames


class Flag(StrEnum):
    MISMATCH = "mismatch"
    FACE_ABSENT = "face_absent"
    FACE_UNCLEAR = "face_unclear"  # a long run of faces that could not be matched reliably
    MULTIPLE_FACES = "multiple_faces"
    CAMERA = "camera"
    LIVENESS = "liveness"


class PauseReason(StrEnum):
    FACE_MISMATCH = "face_mismatch"
    CAMERA_BLOCKED = "camera_blocked"
    MULTIPLE_FACES = "multiple_faces"
    FACE_ABSENT = "face_absent"
    FACE_UNCLEAR = "face_unclear"


# Faults of the picture (`IMAGE_FAULTS`): a genuine face keeps much of its score through them
# (webcam-like LFW devtrain frames with only these: never under level 42 of the match scale),
# so they excuse a score down to `fault_excuse_level` only; a proxy's blurred photo scoring far
# lower is still a mismatch. A turned, bowed or hidden face excuses any score.


class ObservationPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    match_threshold: float | None = Field(
        None,
        description="Score below which a seen face is a mismatch. Unset: the station engine's "
        "calibrated threshold (its model card).",
    )
    mismatch_k: int = Field(3, ge=1, description="Mismatches among the last n that pause.")
    mismatch_n: int = Field(5, ge=1, le=100, description="Window of observations for k of n.")
    camera_consecutive: int = Field(
        2, ge=1, le=100, description="Consecutive covered/frozen/lost observations that pause."
    )
    absent_seconds: float = Field(
        10.0, gt=0, description="Seconds without a face before the face_absent flag is raised."
    )
    pause_on_absence: bool = Field(False, description="Pause (not only flag) on face_absent.")
    unclear_seconds: float = Field(
        15.0,
        gt=0,
        description="Seconds of uncertain observations (a face below the threshold that the "
        "station could not read reliably: turned, hidden, dark, blurred) before the "
        "face_unclear flag is raised. Uncertain observations never count as mismatches.",
    )
    pause_on_unclear: bool = Field(False, description="Pause (not only flag) on face_unclear.")
    fault_excuse_level: int = Field(
        30,
        ge=0,
        le=50,
        description="Match level (0-100; 50 is the threshold, 0 the engine's impostor mean) "
        "down to which faults of the picture alone (blurred, dark, bright, low contrast, "
        "small) make a low score uncertain; a lower score on such a frame is a mismatch. "
        "0 lets them excuse nearly any score.",
    )
    multiple_faces_k: int = Field(
        2, ge=1, description="Observations with several faces among the last n that flag."
    )
    pause_on_multiple_faces: bool = Field(
        False, description="Pause (not only flag) on multiple_faces."
    )

    @model_validator(mode="after")
    def _k_within_n(self) -> ObservationPolicy:
        if self.mismatch_k > self.mismatch_n or self.multiple_faces_k > self.mismatch_n:
            raise ValueError("mismatch_k and multiple_faces_k must not exceed mismatch_n")
        return self


@dataclass(frozen=True, slots=True)
class Sample:
    """What the policy needs of one observation."""

    observed_at: datetime
    face_count: int
    score: float | None
    camera: CameraState = CameraState.OK
    liveness_flags: tuple[str, ...] = ()
    # What the station found hard about the face (`proctor.faces.quality.LIVE_PROBLEMS`).
    face_problems: tuple[str, ...] = ()

    def _below(self, threshold: float) -> bool:
        return (
            self.camera is CameraState.OK
            and self.face_count >= 1
            and self.score is not None
            and self.score < threshold
        )

    def _excused(self, fault_floor: float | None) -> bool:
        """Whether the face's problems explain its low score."""
        if not self.face_problems:
            return False
        if fault_floor is None or not set(self.face_problems) <= IMAGE_FAULTS:
            return True
        return self.score is not None and self.score >= fault_floor

    def is_mismatch(self, threshold: float, fault_floor: float | None = None) -> bool:
        """A face that does not match: clearly seen, or scoring under `fault_floor` through
        nothing worse than faults of the picture."""
        return self._below(threshold) and not self._excused(fault_floor)

    def is_uncertain(self, threshold: float, fault_floor: float | None = None) -> bool:
        """A face below the threshold that could not be read reliably: neither a match nor a
        mismatch (a candidate looking down at the keyboard, a hand over the mouth)."""
        return self._below(threshold) and self._excused(fault_floor)


@dataclass(frozen=True, slots=True)
class Verdict:
    pause: PauseReason | None
    flags: frozenset[Flag]


def evaluate(
    samples: Sequence[Sample],
    policy: ObservationPolicy,
    threshold: float,
    *,
    fault_floor: float | None = None,
) -> Verdict:
    """Judge the latest observation in the light of those before it (oldest first).

    `fault_floor` is `policy.fault_excuse_level` on the engine's scale (`match_level.score_at`);
    None lets faults of the picture excuse any score.

    Pause reasons in order of precedence: a blocked camera, a sustained mismatch (k of the last
    n), then several faces, absence and an unclear face where the policy makes them pause.
    """
    if not samples:
        return Verdict(None, frozenset())
    return _verdict(
        samples, absent_for(samples), unclear_for(samples, threshold, fault_floor), policy,
        threshold, fault_floor,
    )  # fmt: skip


def _verdict(
    samples: Sequence[Sample],
    absent_seconds: float,
    unclear_seconds: float,
    policy: ObservationPolicy,
    threshold: float,
    fault_floor: float | None,
) -> Verdict:
    """`evaluate` given how long the face has been absent and unclear: of the samples, only
    the last `kept(policy)` are read."""
    window = samples[-policy.mismatch_n :]
    latest = samples[-1]
    flags: set[Flag] = set()
    reasons: list[PauseReason] = []

    tail = samples[-policy.camera_consecutive :]
    if latest.camera is not CameraState.OK:
        flags.add(Flag.CAMERA)
        if len(tail) == policy.camera_consecutive and all(
            s.camera is not CameraState.OK for s in tail
        ):
            reasons.append(PauseReason.CAMERA_BLOCKED)

    # Flagged while any mismatch is in the window (one flag per episode, not per frame).
    mismatches = sum(s.is_mismatch(threshold, fault_floor) for s in window)
    if mismatches:
        flags.add(Flag.MISMATCH)
    if mismatches >= policy.mismatch_k:
        reasons.append(PauseReason.FACE_MISMATCH)

    if sum(s.face_count >= 2 for s in window) >= policy.multiple_faces_k:
        flags.add(Flag.MULTIPLE_FACES)
        if policy.pause_on_multiple_faces:
            reasons.append(PauseReason.MULTIPLE_FACES)

    if absent_seconds >= policy.absent_seconds:
        flags.add(Flag.FACE_ABSENT)
        if policy.pause_on_absence:
            reasons.append(PauseReason.FACE_ABSENT)

    if unclear_seconds >= policy.unclear_seconds:
        flags.add(Flag.FACE_UNCLEAR)
        if policy.pause_on_unclear:
            reasons.append(PauseReason.FACE_UNCLEAR)

    if latest.liveness_flags:
        flags.add(Flag.LIVENESS)
    return Verdict(reasons[0] if reasons else None, frozenset(flags))


def absent_for(samples: Sequence[Sample]) -> float:
    """Seconds since a face was last seen, if the latest observations saw none (else 0).

    Observations with a blocked camera say nothing about presence and do not count.
    """
    latest = samples[-1]
    if latest.face_count > 0 or latest.camera is not CameraState.OK:
        return 0.0
    since = latest.observed_at
    for sample in reversed(samples[:-1]):
        if sample.camera is not CameraState.OK:
            break
        since = sample.observed_at
        if sample.face_count > 0:  # the face was gone from just after its last sighting
            break
    return (latest.observed_at - since).total_seconds()


def unclear_for(
    samples: Sequence[Sample], threshold: float, fault_floor: float | None = None
) -> float:
    """Seconds the face has stayed uncertain, if the latest observation is uncertain (else 0):
    from the first of the run, which ends at any other observation."""
    if not samples or not samples[-1].is_uncertain(threshold, fault_floor):
        return 0.0
    since = samples[-1].observed_at
    for sample in reversed(samples[:-1]):
        if not sample.is_uncertain(threshold, fault_floor):
            break
        since = sample.observed_at
    return (samples[-1].observed_at - since).total_seconds()


# -- judging one observation at a time -----------------------------------------------------
# Ingest keeps this between batches (on the attempt) instead of reloading the observations
# before each one: `advance` gives exactly what `evaluate` gives over the whole history.


@dataclass(frozen=True, slots=True)
class Judged:
    """What `evaluate` reads of the observations judged so far: the last few (the k-of-n
    window and the camera run), when the current absence and unclear runs began (the start of
    `absent_for` and `unclear_for`; None outside a run), and the last verdict's flags."""

    recent: tuple[Sample, ...] = ()
    absent_since: datetime | None = None
    unclear_since: datetime | None = None
    flags: frozenset[Flag] = frozenset()


def kept(policy: ObservationPolicy) -> int:
    """How many of the latest samples a verdict reads besides the runs' starts."""
    return max(policy.mismatch_n, policy.camera_consecutive)


def _absent(sample: Sample) -> bool:
    return sample.face_count == 0 and sample.camera is CameraState.OK


def advance(
    state: Judged,
    sample: Sample,
    policy: ObservationPolicy,
    threshold: float,
    *,
    fault_floor: float | None = None,
) -> tuple[Judged, Verdict]:
    """Judge `sample` after those `state` sums up; the new state and the verdict, equal to
    `evaluate` over every sample so far."""
    previous = state.recent[-1] if state.recent else None
    absent_since = None
    if _absent(sample):
        if state.absent_since is not None:  # the run goes on
            absent_since = state.absent_since
        elif previous is not None and previous.camera is CameraState.OK:
            absent_since = previous.observed_at  # gone from just after its last sighting
        else:
            absent_since = sample.observed_at
    unclear_since = None
    if sample.is_uncertain(threshold, fault_floor):
        unclear_since = state.unclear_since or sample.observed_at
    recent = (*state.recent, sample)[-kept(policy) :]
    verdict = _verdict(
        recent,
        0.0 if absent_since is None else (sample.observed_at - absent_since).total_seconds(),
        0.0 if unclear_since is None else (sample.observed_at - unclear_since).total_seconds(),
        policy, threshold, fault_floor,
    )  # fmt: skip
    return Judged(recent, absent_since, unclear_since, verdict.flags), verdict
