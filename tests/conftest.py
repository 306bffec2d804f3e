from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from proctor.faces.protocol import DetectedFace, FaceBox
from tests.support.sealing import DATA_KEY

# Fixtures of every test folder: databases on SQLite and PostgreSQL, and the service's world.
pytest_plugins = ["tests.support.database", "tests.support.world"]

LFW_ROOT = Path(__file__).resolve().parent.parent.parent / "shared" / "faces" / "lfw_view1"


@pytest.fixture(scope="session", autouse=True)
def own_config_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A configuration folder of the test run's own (inherited by the processes tests start):
    a key a SQLite service makes there never lands in the user's ~/.config. Every service,
    command and test session seals with the one test data key (tests of the key's own rules
    unset it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config-home")))
        patch.setenv("PROCTOR_DATA_KEY", DATA_KEY)
        yield


@pytest.fixture(scope="session")
def lfw_root() -> Path:
    if not (LFW_ROOT / "labels.csv").is_file():
        pytest.skip(
            f"LFW View 1 photos are not at {LFW_ROOT}; real-model tests need them "
            "(see ../shared/faces/lfw_view1/README.md)"
        )
    return LFW_ROOT


def needs_dlib() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        importlib.util.find_spec("dlib") is None,
        reason="the dlib engine is not installed: pip install '.[dlib]'",
    )


def face_at(x: float, y: float, size: float, score: float = 0.9) -> DetectedFace:
    """A frontal face whose landmarks sit where the ArcFace template puts them."""
    s = size / 112.0
    template = [(38.3, 51.7), (73.5, 51.5), (56.0, 71.7), (41.5, 92.4), (70.7, 92.2)]
    return DetectedFace(
        FaceBox(x, y, size, size), tuple((x + px * s, y + py * s) for px, py in template), score
    )


class FakeEngine:
    """A face engine for logic tests: a face wherever a square is brighter than its
    surroundings; the embedding is the square's mean colour."""

    name = "fake"
    threshold = 0.9
    floor_score = -1.0

    def detect(self, image: np.ndarray) -> list[DetectedFace]:
        mask = image.max(axis=2) > 200
        if not mask.any():
            return []
        ys, xs = np.nonzero(mask)
        size = float(max(xs.max() - xs.min(), ys.max() - ys.min()) + 1)
        return [face_at(float(xs.min()), float(ys.min()), size)]

    def embed(self, image: np.ndarray, face: DetectedFace) -> np.ndarray:
        b = face.box
        region = image[int(b.y) : int(b.y + b.height), int(b.x) : int(b.x + b.width)]
        v = region.reshape(-1, 3).mean(axis=0).astype(np.float32)
        return v / np.linalg.norm(v)

    def compare(self, a: np.ndarray, b: np.ndarray) -> float:
        return float(a @ b)

    def compare_many(self, probe: np.ndarray, gallery: np.ndarray) -> np.ndarray:
        return np.asarray(gallery, dtype=np.float64) @ np.asarray(probe, dtype=np.float64)


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()
