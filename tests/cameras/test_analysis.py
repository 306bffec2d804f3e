"""Station-side analysis with the real sface engine on LFW photos placed in webcam frames."""

from __future__ import annotations

from datetime import UTC, datetime

import cv2
import numpy as np
import pytest

from proctor.cameras.analysis import Sampler, StationAnalyser
from proctor.cameras.frames import Frame
from proctor.exam.policy import CameraState
from proctor.models.face_api import analyse, load_image

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


def at(frame: Frame, t: float) -> Frame:
    return Frame(frame.image, frame.index, frame.captured_at, t)


def monochrome(frame: Frame) -> Frame:
    """The same frame with the face printed in greyscale (a photo held to the lens)."""
    image = frame.image.copy()
    grey = cv2.cvtColor(image[90:390, 170:470], cv2.COLOR_BGR2GRAY)
    image[90:390, 170:470] = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    return Frame(image, frame.index, frame.captured_at, frame.monotonic)


@pytest.mark.lfw
def test_a_greyscale_face_is_flagged_and_photographed(lfw_root, analyser):
    live = webcam(photos(lfw_root, CANDIDATE)[4])
    assert analyser.analyse(live).liveness_flags == ()
    printed = analyser.analyse(at(monochrome(live), 1.0))
    assert printed.liveness_flags == ("monochrome",)
    assert printed.face_count == 1 and printed.anomalous


@pytest.mark.lfw
def test_the_same_face_reuses_its_score_briefly(lfw_root, analyser):
    frame = webcam(photos(lfw_root, CANDIDATE)[4])
    first = analyser.analyse(at(frame, 10.0))
    again = analyser.analyse(at(frame, 10.1))  # a tenth of a second later, same place
    assert first.embedded and not again.embedded
    assert again.score == first.score
    later = analyser.analyse(at(frame, 10.5))  # at the default rate of 2/s: always embedded
    assert later.embedded


@pytest.mark.lfw
def test_a_face_elsewhere_is_embedded_afresh(lfw_root, analyser):
    frame = webcam(photos(lfw_root, CANDIDATE)[4])
    analyser.analyse(at(frame, 20.0))
    proxy = photos(lfw_root, PROXY)[1]
    image = np.roll(webcam(proxy).image, 150, axis=1)  # another face, well to the side
    moved = analyser.analyse(Frame(image, 1, datetime.now(UTC), 20.05))
    assert moved.embedded and moved.score < analyser.threshold


def test_the_sampler_keeps_the_rate():
    sampler = Sampler(rate=2.0)
    frames = [Frame(np.zeros((1, 1, 3), np.uint8), i, datetime.now(UTC), i / 30) for i in range(60)]
    taken = [f.index for f in frames if sampler.take(f)]
    assert taken == [0, 15, 30, 45]
