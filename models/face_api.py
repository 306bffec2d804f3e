"""The public face API: a handful of functions, each documented with its defaults.

    engine = create_engine("sface")          # loads weights, checks their SHA-256
    a = load_image("registration.jpg")       # bytes or path -> BGR array, upright
    result = verify(engine, a, load_image("checkin.jpg"))
    result.same_person, result.score, result.threshold

Thresholds: `sface` cosine similarity, `dlib` 1 - Euclidean distance, `fused` a weighted sum of
z-normalised scores. Each engine's default threshold is calibrated on LFW View 1 `devtrain` for a
false match rate of 0.1 % and recorded, with its figures, in `models/cards/<engine>.md`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from proctor.faces.protocol import DetectedFace, FaceEngine, choose_candidate
from proctor.faces.quality import FaceMeasurements, QualityPolicy, QualityReport, assess
from proctor.models.imaging import check_array, decode_image, load_image
from proctor.models.quality import measure_face
from proctor.models.registry import create_engine

__all__ = [
    "FaceAnalysis",
    "Verification",
    "analyse",
    "create_engine",
    "decode_image",
    "load_image",
    "verify",
]


@dataclass(frozen=True)
class FaceAnalysis:
    """One photo: the candidate's face (if any), its quality, and its embedding."""

    face: DetectedFace | None
    other_faces: tuple[DetectedFace, ...]
    quality: QualityReport
    embedding: np.ndarray | None
    measurements: FaceMeasurements | None = None


@dataclass(frozen=True)
class Verification:
    """A 1:1 comparison. `score` is the engine's `floor_score` when a face is missing."""

    engine: str
    score: float
    threshold: float
    first: FaceAnalysis
    second: FaceAnalysis

    @property
    def same_person(self) -> bool:
        return self.faces_found and self.score >= self.threshold

    @property
    def faces_found(self) -> bool:
        return self.first.embedding is not None and self.second.embedding is not None


def analyse(
    engine: FaceEngine, image: np.ndarray, policy: QualityPolicy | None = None
) -> FaceAnalysis:
    """Detect, choose the candidate's face (`choose_candidate`), gate its quality, embed it.

    The embedding is made even when the quality gate rejects the photo: the caller decides
    whether a rejected photo may be used (a registration photo may not; an evidence frame is
    still scored).
    """
    policy = policy or QualityPolicy()
    image = check_array(image)
    faces = engine.detect(image)
    face, others = choose_candidate(faces, image.shape[1], image.shape[0], policy.other_face_ratio)
    if face is None:
        return FaceAnalysis(None, (), assess(None, policy), None)
    measurements = measure_face(image, face, len(faces), len(others))
    return FaceAnalysis(
        face, tuple(others), assess(measurements, policy), engine.embed(image, face), measurements
    )


def verify(
    engine: FaceEngine, first: np.ndarray, second: np.ndarray, policy: QualityPolicy | None = None
) -> Verification:
    """Are the candidates' faces in two photos the same person, by the engine's threshold?"""
    a, b = analyse(engine, first, policy), analyse(engine, second, policy)
    if a.embedding is None or b.embedding is None:
        score = engine.floor_score
    else:
        score = engine.compare(a.embedding, b.embedding)
    return Verification(engine.name, score, engine.threshold, a, b)
