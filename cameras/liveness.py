"""Liveness heuristics: cheap signs that the face before the camera is not a live person.

They raise flags for a proctor to look at; they never pause an exam by themselves, since a
heuristic is wrong now and then. One sign so far:

- `monochrome`: the face has (almost) no colour. Live skin under a venue's lighting always
  has some; a greyscale printout or a monochrome screen held to the lens has none.

The face is averaged down to a small patch first, so sensor noise does not count as colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from proctor.faces.protocol import FaceBox

MONOCHROME = "monochrome"
_PATCH = (24, 24)


@dataclass(frozen=True)
class LivenessLimits:
    # Mean of max(B,G,R) - min(B,G,R) over the face patch, on 0..255. Over every fifth LFW
    # photo (999 faces) colour faces measured 14 or more (median 65), black-and-white ones 0.
    min_chroma: float = 6.0


class LivenessCheck:
    def __init__(self, limits: LivenessLimits | None = None) -> None:
        self.limits = limits or LivenessLimits()

    def flags(self, image: np.ndarray, box: FaceBox) -> tuple[str, ...]:
        patch = _face_patch(image, box)
        if patch is None:
            return ()
        chroma = float((patch.max(axis=2) - patch.min(axis=2)).mean())
        return (MONOCHROME,) if chroma < self.limits.min_chroma else ()


def _face_patch(image: np.ndarray, box: FaceBox) -> np.ndarray | None:
    """The inner part of the face (no hair or background), averaged to a small patch."""
    height, width = image.shape[:2]
    x0 = int(max(box.x + 0.2 * box.width, 0))
    x1 = int(min(box.x + 0.8 * box.width, width))
    y0 = int(max(box.y + 0.25 * box.height, 0))
    y1 = int(min(box.y + 0.85 * box.height, height))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    crop = image[y0:y1, x0:x1]
    return cv2.resize(crop, _PATCH, interpolation=cv2.INTER_AREA).astype(np.float32)
