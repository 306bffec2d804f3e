"""Station-side analysis with the real sface engine on LFW photos placed in webcam frames."""

from __future__ import annotations

from datetime import UTC, datetime

import cv2
import numpy as np
import pytest

from proctor.cameras.analysis import Sampler, StationAnalyser
from proctor.cameras.frames import Frame
from proctor.models.face_api import analyse, load_image
from proctor.policy import CameraState

CANDIDATE, PROXY = "Ricardo_Lagos", "John_Bolton"


def photos(root, person: str) -> list[np.ndarray]:
    return [load_image(p) for p in sorted((root / "images" / person).glob("*.jpg"))]


def webcam(face: np.ndarray, t: float = 0.0) -> Frame:
    """A 640x480 frame: the photo enlarged on a textured background."""
    rng = np.random.default_rng(int(t * 10))
    frame = rng.integers(60, 140, (480, 640, 3), dtype=np.uint8)
    frame[90:390, 170:470] = cv2.resize(face, (300, 300), interpolation=cv2.INTER_CUBIC)
    return Frame(frame, int(t * 10), datetime.now(UTC), t)


@pytest.fixture
def analyser(lfw_root, engine) -> StationAnalyser:
    templates = [analyse(engine, img).embedding for img in photos(lfw_root, CANDIDATE)[:2]]
    return StationAnalyser(engine, np.stack(templates), engine.threshold)


@pytest.mark.lfw
def test_the_candidate_matches_without_a_snapshot(lfw_root, analyser):
    result = analyser.analyse(webcam(photos(lfw_root, CANDIDATE)[4]))
    assert (result.camera, result.face_count) == (CameraState.OK, 1)
    assert result.score >= analyser.threshold
    assert result.snapshot is None


@pytest.mark.lfw
def test_a_proxy_scores_below_and_is_photographed(lfw_root, analyser):
    result = analyser.analyse(webcam(photos(lfw_root, PROXY)[1]))
    assert result.score < analyser.threshold
    assert result.anomalous
    snapshot = cv2.imdecode(np.frombuffer(result.snapshot, np.uint8), cv2.IMREAD_COLOR)
    assert max(snapshot.shape[:2]) == 320


@pytest.mark.lfw
def test_an_empty_seat_and_a_covered_lens(analyser):
    rng = np.random.default_rng(1)
    empty = rng.integers(60, 140, (480, 640, 3), dtype=np.uint8)
    result = analyser.analyse(Frame(empty, 0, datetime.now(UTC), 0.0))
    assert (result.face_count, result.score, result.snapshot) == (0, None, None)
    black = np.zeros((480, 640, 3), np.uint8)
    covered = analyser.analyse(Frame(black, 1, datetime.now(UTC), 0.5))
    assert covered.camera is CameraState.COVERED
    assert covered.anomalous


def test_the_sampler_keeps_the_rate():
    sampler = Sampler(rate=2.0)
    frames = [Frame(np.zeros((1, 1, 3), np.uint8), i, datetime.now(UTC), i / 30) for i in range(60)]
    taken = [f.index for f in frames if sampler.take(f)]
    assert taken == [0, 15, 30, 45]
