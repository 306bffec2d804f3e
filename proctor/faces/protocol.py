"""What the domain needs from a face engine, and the values that cross that boundary.

Images are NumPy arrays (H, W, 3) uint8 in BGR order, as decoded by `proctor.models.imaging`.
Embeddings are 1-D float32 arrays; only the engine that made one may compare it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

# Landmark order used everywhere: the subject's right eye, left eye, nose tip,
# right mouth corner, left mouth corner (YuNet's order; "right" is the image's left side).
LANDMARK_NAMES = ("right_eye", "left_eye", "nose", "mouth_right", "mouth_left")


@dataclass(frozen=True, slots=True)
class FaceBox:
    x: float
    y: float
    width: float
    height: float

    @property
    def area(self) -> float:
        return max(self.width, 0.0) * max(self.height, 0.0)

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)


@dataclass(frozen=True, slots=True)
class DetectedFace:
    """One face found by a detector, in the pixel coordinates of the image it was found in."""

    box: FaceBox
    landmarks: tuple[tuple[float, float], ...]  # five points, in LANDMARK_NAMES order
    score: float  # detector confidence in [0, 1]

    def landmark_array(self) -> np.ndarray:
        return np.asarray(self.landmarks, dtype=np.float32).reshape(5, 2)

    @property
    def eye_distance(self) -> float:
        (rx, ry), (lx, ly) = self.landmarks[0], self.landmarks[1]
        return float(np.hypot(lx - rx, ly - ry))


@runtime_checkable
class FaceEngine(Protocol):
    """Detect, embed, compare: the whole contract between the domain and a face model.

    `threshold` is the engine's default decision threshold on `compare`'s similarity
    (higher = more alike): a pair scoring at or above it is judged the same person. Each
    engine's model card records the false match rate the threshold was calibrated for.
    `floor_score` is the lowest similarity `compare` can return; it is the documented score
    of a pair in which a face could not be found.
    """

    name: str
    threshold: float
    floor_score: float

    def detect(self, image: np.ndarray) -> list[DetectedFace]:
        """All faces in a BGR image, best first; an empty list when there is none."""
        ...

    def embed(self, image: np.ndarray, face: DetectedFace) -> np.ndarray:
        """Align `face` in `image` and return its embedding."""
        ...

    def compare(self, a: np.ndarray, b: np.ndarray) -> float:
        """Similarity of two embeddings made by this engine; higher means more alike."""
        ...

    def compare_many(self, probe: np.ndarray, gallery: np.ndarray) -> np.ndarray:
        """`compare` of one embedding with each row of a (n, dim) stack, as n scores."""
        ...


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one 1:1 comparison against an engine's threshold."""

    score: float
    threshold: float

    @property
    def same_person(self) -> bool:
        return self.score >= self.threshold


def choose_candidate(
    faces: list[DetectedFace], image_width: int, image_height: int, other_face_ratio: float = 0.25
) -> tuple[DetectedFace | None, list[DetectedFace]]:
    """Pick the candidate's face and list the other faces large enough to be a second person.

    The candidate is the face with the largest size weighted by closeness to the image centre:
    at a check-in desk or station the candidate sits in front of the camera, and a face at
    the edge is a passer-by. Another face counts when its area is at least
    `other_face_ratio` of the candidate's.
    """
    if not faces:
        return None, []
    cx, cy = image_width / 2, image_height / 2
    half_diagonal = float(np.hypot(cx, cy)) or 1.0

    def weight(face: DetectedFace) -> float:
        fx, fy = face.box.center
        centrality = max(0.1, 1.0 - float(np.hypot(fx - cx, fy - cy)) / half_diagonal)
        return float(np.sqrt(face.box.area)) * centrality

    chosen = max(faces, key=weight)
    others = [
        f for f in faces if f is not chosen and f.box.area >= other_face_ratio * chosen.box.area
    ]
    return chosen, others
