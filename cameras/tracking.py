"""Reusing a face's match score while the same face stays in view.

Embedding costs several times what detection does. Between two frames a fraction of a second
apart, a face whose box overlaps the last embedded one by most of its area is the same person
(a proxy cannot take the seat without the candidate's face leaving it), so its score may be
reused for a short while. Any jump, a change in the number of faces, or age beyond
`max_age` seconds means a fresh embedding. At the default rate of 2 frames a second every
frame is embedded; the reuse matters only when a station analyses many frames a second.
"""

from __future__ import annotations

from dataclasses import dataclass

from proctor.faces.protocol import FaceBox


def overlap(a: FaceBox, b: FaceBox) -> float:
    """Intersection over union of two boxes."""
    width = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
    height = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    inter = max(width, 0.0) * max(height, 0.0)
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


@dataclass
class _Scored:
    box: FaceBox
    face_count: int
    score: float
    at: float  # monotonic time of the embedding


class ScoreTrack:
    def __init__(self, *, max_age: float = 0.25, min_overlap: float = 0.6) -> None:
        self.max_age, self.min_overlap = max_age, min_overlap
        self._last: _Scored | None = None

    def reusable(self, box: FaceBox, face_count: int, now: float) -> float | None:
        """The last score, if this face is the one it was computed for, and recent enough."""
        last = self._last
        if (
            last is None
            or face_count != last.face_count
            or not 0 <= now - last.at < self.max_age
            or overlap(box, last.box) < self.min_overlap
        ):
            return None
        last.box = box  # follow the face as it moves; the age still counts from the embedding
        return last.score

    def scored(self, box: FaceBox, face_count: int, score: float, now: float) -> None:
        self._last = _Scored(box, face_count, score, now)

    def lost(self) -> None:
        self._last = None
