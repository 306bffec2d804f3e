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


class ObservationPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    match_threshold: float | None = Field(
        None,
        description="Score below which a seen face is a mismatch. Unset: the station engine's "
        "calibrated threshold (its model card).",
    )
    mismatch_k: int = Field(
        3,
        ge=1,
        description="Mismatches among the last n that pause (a doubtful observation counts "
        "half, an uncertain one not at all).",
    )
    mismatch_n: int = Field(5, ge=1, le=100, description="Window of observations for k of n.")
    camera_consecutive: int = Field(
        2, ge=1, le=100, description="Consecutive covered/frozen/lost observations that pause."
    )
    absent_seconds: float = Field(
        10.0, gt=0, description="Seconds without a face before the face_absent flag is raised."
    )
    pause_on_absence: bool = Field(False, description="Pause (not only flag) on face_absent.")
    doubt_margin: float = Field(
        0.15,
        ge=0,
        description="Below the threshold by less than this, a score is doubtful (half a "
        "mismatch) on a clearly read face and uncertain (none) on a face the station could "
        "not read; further below, a mismatch whatever the frame. In the station engine's "
        "units (sface: honest faces looking down, covering the mouth or in dim light scored "
        "down to 0.21 in clip frames, proxies mostly under 0.2); 0 for the strict rule.",
    )
    doubtful_seconds: float = Field(
        8.0,
        gt=0,
        description="A face below the threshold for this long, ending on a doubtful "
        "observation, pauses as a mismatch: a look-alike proxy is not excused for long.",
    )
    unclear_seconds: float = Field(
        15.0,
        gt=0,
        description="Seconds of uncertain observations (a face below the threshold that the "
        "station could not read reliably: turned, hidden, dark, blurred) before the "
        "face_unclear flag is raised. Uncertain observations never count as mismatches.",
    )
    pause_on_unclear: bool = Field(False, description="Pause (not only flag) on face_unclear.")
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

    def mismatch_weight(self, threshold: float, margin: float) -> float:
        """How much this observation counts towards a sustained mismatch: 1 for a score far
        below the threshold (more than `margin`: no fault of the frame explains it) or for a
        clearly read face below it; 0.5 for a doubtful one, a clearly read face less than
        `margin` below (a candidate looking down foreshortens the face without a fault the
        station can name); 0 for a match, and for an uncertain one."""
        if not self._below(threshold):
            return 0.0
        assert self.score is not None
        if self.score < threshold - margin:
            return 1.0
        return 0.0 if self.face_problems else 0.5

    def is_uncertain(self, threshold: float, margin: float) -> bool:
        """A face a little below the threshold that could not be read reliably (turned,
        hidden, dark, blurred): neither a match nor a mismatch."""
        return self.mismatch_weight(threshold, margin) == 0 and self._below(threshold)


@dataclass(frozen=True, slots=True)
class Verdict:
    pause: PauseReason | None
    flags: frozenset[Flag]


def evaluate(samples: Sequence[Sample], policy: ObservationPolicy, threshold: float) -> Verdict:
    """Judge the latest observation in the light of those before it (oldest first).

    Pause reasons in order of precedence: a blocked camera, a sustained mismatch (k of the last
    n), then several faces, absence and an unclear face where the policy makes them pause.
    """
    if not samples:
        return Verdict(None, frozenset())
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
    margin = policy.doubt_margin
    mismatches = sum(s.mismatch_weight(threshold, margin) for s in window)
    if mismatches:
        flags.add(Flag.MISMATCH)
    if (
        mismatches >= policy.mismatch_k
        or doubtful_for(samples, threshold, margin) >= policy.doubtful_seconds
    ):
        reasons.append(PauseReason.FACE_MISMATCH)

    if sum(s.face_count >= 2 for s in window) >= policy.multiple_faces_k:
        flags.add(Flag.MULTIPLE_FACES)
        if policy.pause_on_multiple_faces:
            reasons.append(PauseReason.MULTIPLE_FACES)

    if absent_for(samples) >= policy.absent_seconds:
        flags.add(Flag.FACE_ABSENT)
        if policy.pause_on_absence:
            reasons.append(PauseReason.FACE_ABSENT)

    if unclear_for(samples, threshold, margin) >= policy.unclear_seconds:
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


def _run_seconds(samples: Sequence[Sample], within) -> float:
    """Seconds from the first to the last of the latest run of samples that satisfy `within`."""
    since = samples[-1].observed_at
    for sample in reversed(samples[:-1]):
        if not within(sample):
            break
        since = sample.observed_at
    return (samples[-1].observed_at - since).total_seconds()


def unclear_for(samples: Sequence[Sample], threshold: float, margin: float) -> float:
    """Seconds the face has stayed uncertain, if the latest observation is uncertain (else 0):
    from the first of the run, which ends at any other observation."""
    if not samples or not samples[-1].is_uncertain(threshold, margin):
        return 0.0
    return _run_seconds(samples, lambda s: s.is_uncertain(threshold, margin))


def doubtful_for(samples: Sequence[Sample], threshold: float, margin: float) -> float:
    """Seconds the face has stayed below the threshold, if the latest observation is a
    doubtful one (a clearly read face a little below it; else 0)."""
    if not samples or samples[-1].mismatch_weight(threshold, margin) != 0.5:
        return 0.0
    return _run_seconds(samples, lambda s: s._below(threshold))
