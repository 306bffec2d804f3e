"""Camera tampering seen in the frames themselves: a black or covered lens, a frozen feed.

(A camera that disappears is the capture loop's watchdog's to report.) Thresholds are on a
small greyscale copy, so the check costs well under a millisecond per frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from proctor.cameras.frames import Frame
from proctor.exam.policy import CameraState

THUMB = (160, 120)


@dataclass(frozen=True)
class TamperLimits:
    dark_mean: float = 18.0  # mean grey level below this: black (lens covered, or no light)
    uniform_std: float = 6.0  # nearly one colour...
    uniform_edges: float = 4.0  # ...and no edges (Laplacian variance): a hand or tape on the lens
    frozen_seconds: float = 3.0  # the very same picture for this long: a frozen or fake feed
    # Mean absolute grey difference under which two frames are the same picture. A live sensor's
    # noise keeps real frames well above it, even of a still scene.
    same_picture: float = 0.02


class TamperDetector:
    def __init__(self, limits: TamperLimits | None = None) -> None:
        self.limits = limits or TamperLimits()
        self._previous: np.ndarray | None = None
        self._previous_at = 0.0
        self._same_since: float | None = None

    def check(self, frame: Frame) -> CameraState:
        grey = cv2.resize(
            cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY), THUMB, interpolation=cv2.INTER_AREA
        ).astype(np.float32)
        frozen = self._frozen(grey, frame.monotonic)
        limits = self.limits
        if float(grey.mean()) < limits.dark_mean:
            return CameraState.COVERED
        if (
            float(grey.std()) < limits.uniform_std
            and float(cv2.Laplacian(grey, cv2.CV_32F).var()) < limits.uniform_edges
        ):
            return CameraState.COVERED
        return CameraState.FROZEN if frozen else CameraState.OK

    def _frozen(self, grey: np.ndarray, now: float) -> bool:
        previous, previous_at = self._previous, self._previous_at
        self._previous, self._previous_at = grey, now
        if previous is None or float(np.abs(grey - previous).mean()) >= self.limits.same_picture:
            self._same_since = None
            return False
        if self._same_since is None:
            self._same_since = previous_at  # the picture has stood still since that frame
        return now - self._same_since >= self.limits.frozen_seconds
