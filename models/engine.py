"""An engine is a detector, an embedder and a threshold: the `FaceEngine` contract."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from proctor.errors import EngineError, ErrorCode
from proctor.faces.protocol import DetectedFace
from proctor.models.imaging import check_array


class Detector(Protocol):
    def detect(self, image: np.ndarray) -> list[DetectedFace]: ...


class Embedder(Protocol):
    name: str
    dim: int
    floor: float

    def embed(self, image: np.ndarray, face: DetectedFace) -> np.ndarray: ...

    def similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray: ...


class PipelineEngine:
    """Implements `proctor.faces.protocol.FaceEngine`. Not thread-safe: build one per worker."""

    def __init__(self, name: str, detector: Detector, embedder: Embedder, threshold: float):
        self.name = name
        self.threshold = float(threshold)
        self.floor_score = float(embedder.floor)
        self.dim = embedder.dim
        self._detector = detector
        self._embedder = embedder

    def detect(self, image: np.ndarray) -> list[DetectedFace]:
        return self._detector.detect(image)

    def embed(self, image: np.ndarray, face: DetectedFace) -> np.ndarray:
        return self._embedder.embed(check_array(image), face)

    def compare(self, a: np.ndarray, b: np.ndarray) -> float:
        return float(self._embedder.similarity(self._check(a), self._check(b)))

    def compare_many(self, probe: np.ndarray, gallery: np.ndarray) -> np.ndarray:
        gallery = np.asarray(gallery, dtype=np.float32)
        if gallery.ndim != 2 or gallery.shape[1] != self.dim or not np.isfinite(gallery).all():
            raise EngineError(
                f"a gallery of engine {self.name!r} is an (n, {self.dim}) array of finite values",
                code=ErrorCode.EMBEDDING_INVALID,
            )
        if len(gallery) == 0:
            return np.empty(0, dtype=np.float64)
        return np.asarray(self._embedder.similarity(self._check(probe), gallery), dtype=np.float64)

    def _check(self, v: object) -> np.ndarray:
        try:
            array = np.asarray(v, dtype=np.float32) if isinstance(v, np.ndarray | list) else None
        except (TypeError, ValueError):  # e.g. a list of strings
            array = None
        if array is None or array.shape != (self.dim,) or not np.isfinite(array).all():
            raise EngineError(
                f"an embedding of engine {self.name!r} is a finite vector of {self.dim} values",
                code=ErrorCode.EMBEDDING_INVALID,
            )
        return array
