"""Tampering seen in the frames: black, covered, frozen."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from proctor.cameras.frames import Frame
from proctor.cameras.tamper import TamperDetector
from proctor.exam.policy import CameraState

RNG = np.random.default_rng(7)


def scene(noise: float = 3.0) -> np.ndarray:
    """A textured 640x480 scene plus fresh sensor noise, as a live camera gives."""
    base = np.tile(np.linspace(40, 200, 640, dtype=np.float32), (480, 1))
    base[100:380, 220:420] = 120 + 60 * np.sin(np.arange(200) / 7.0)[None, :]
    noisy = base + RNG.normal(0, noise, base.shape)
    return np.clip(np.repeat(noisy[:, :, None], 3, axis=2), 0, 255).astype(np.uint8)


def frame(image: np.ndarray, t: float) -> Frame:
    return Frame(image, int(t * 10), datetime.now(UTC), t)


def test_a_live_scene_is_ok_even_when_still():
    detector = TamperDetector()
    states = {detector.check(frame(scene(), i / 2)) for i in range(20)}
    assert states == {CameraState.OK}


def test_black_and_covered_lenses():
    detector = TamperDetector()
    black = np.zeros((480, 640, 3), np.uint8)
    assert detector.check(frame(black, 0)) is CameraState.COVERED
    finger = np.full((480, 640, 3), (60, 90, 150), np.uint8)  # a bright, flat, blurred colour
    finger = np.clip(finger + RNG.normal(0, 1.0, finger.shape), 0, 255).astype(np.uint8)
    assert detector.check(frame(finger, 0.5)) is CameraState.COVERED


def test_the_same_picture_for_three_seconds_is_a_frozen_feed():
    detector = TamperDetector()
    still = scene()
    states = [detector.check(frame(still, i / 2)) for i in range(8)]  # 0 .. 3.5 s
    assert states[:6] == [CameraState.OK] * 6
    assert states[6:] == [CameraState.FROZEN] * 2
    # A live frame again ends it.
    assert detector.check(frame(scene(), 4.0)) is CameraState.OK
