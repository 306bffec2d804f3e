"""What the station makes of a sampled frame: camera state, faces, liveness signs, and the best
match to the candidate's templates; a small JPEG goes with anomalous frames only, as evidence.

A score below the threshold comes with what made the face hard to read, if anything (turned,
hidden, dark, blurred: `proctor.faces.quality.live_problems`): the server then counts it as
uncertain, not as a mismatch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import cv2
import numpy as np

from proctor.cameras.frames import Frame
from proctor.cameras.liveness import LivenessCheck
from proctor.cameras.tamper import TamperDetector
from proctor.cameras.tracking import ScoreTrack
from proctor.exam.policy import CameraState
from proctor.faces.protocol import FaceEngine, choose_candidate
from proctor.faces.quality import QualityPolicy, live_problems
from proctor.models.quality import measure_face


@dataclass(frozen=True)
class Analysis:
    observed_at: datetime
    face_count: int
    score: float | None
    camera: CameraState
    snapshot: bytes | None = None
    liveness_flags: tuple[str, ...] = ()
    embedded: bool = False  # False where the score was reused from the same face's last frame
    face_problems: tuple[str, ...] = ()  # with a score below the threshold only

    @property
    def anomalous(self) -> bool:
        return self.snapshot is not None


# A clip's frames fall exactly on the sampling grid (3 fps sampled at 3 a second); sums of
# floating-point intervals must not make one of them a hair early and skip it.
_GRID_SLACK = 1e-3


class Sampler:
    """Lets through one frame per 1/rate seconds of capture time."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate
        self._due: float | None = None

    def take(self, frame: Frame) -> bool:
        if self._due is not None and frame.monotonic < self._due - _GRID_SLACK:
            return False
        self._due = (
            frame.monotonic + self._interval
            if self._due is None
            else max(self._due + self._interval, frame.monotonic)
        )
        return True


class StationAnalyser:
    """Not thread-safe: one analysis thread per station."""

    def __init__(
        self,
        engine: FaceEngine,
        templates: np.ndarray,
        threshold: float,
        *,
        tamper: TamperDetector | None = None,
        liveness: LivenessCheck | None = None,
        track: ScoreTrack | None = None,
        snapshot_side: int = 320,
        jpeg_quality: int = 80,
    ) -> None:
        self.engine, self.threshold = engine, threshold
        self.templates = np.asarray(templates, dtype=np.float32)
        self.tamper = tamper or TamperDetector()
        self.liveness = liveness or LivenessCheck()
        self.track = track or ScoreTrack()
        self._side, self._quality = snapshot_side, jpeg_quality
        self._quality_policy = QualityPolicy()

    def analyse(self, frame: Frame) -> Analysis:
        camera = self.tamper.check(frame)
        if camera is not CameraState.OK:
            self.track.lost()
            return Analysis(frame.captured_at, 0, None, camera, self._snapshot(frame.image))
        image = frame.image
        faces = self.engine.detect(image)
        face, others = choose_candidate(faces, image.shape[1], image.shape[0])
        if face is None:
            self.track.lost()
            return Analysis(frame.captured_at, 0, None, camera)
        count = 1 + len(others)
        score = self.track.reusable(face.box, count, frame.monotonic)
        embedded = score is None
        if score is None:
            embedding = self.engine.embed(image, face)
            score = float(self.engine.compare_many(embedding, self.templates).max())
            self.track.scored(face.box, count, score, frame.monotonic)
        liveness = self.liveness.flags(image, face.box)
        problems: tuple[str, ...] = ()
        if score < self.threshold:  # a good score needs no excuse: measure only the others
            measured = measure_face(image, face, count, len(others))
            problems = tuple(str(r.code) for r in live_problems(measured, self._quality_policy))
        anomalous = score < self.threshold or count > 1 or bool(liveness)
        snapshot = self._snapshot(image) if anomalous else None
        return Analysis(
            frame.captured_at,
            count,
            score,
            camera,
            snapshot,
            liveness,
            embedded=embedded,
            face_problems=problems,
        )

    def _snapshot(self, image: np.ndarray) -> bytes:
        scale = self._side / max(image.shape[:2])
        if scale < 1:
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, self._quality])
        if not ok:  # pragma: no cover - cv2 encodes any uint8 BGR image
            raise RuntimeError("JPEG encoding failed")
        return data.tobytes()
