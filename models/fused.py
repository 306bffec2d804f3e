"""Score fusion of two embedders run on the same detected face.

Each engine's similarity is z-normalised against its impostor distribution (mean and standard
deviation from its model card), then the two are mixed with a weight chosen on `devtrain`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from proctor.faces.protocol import DetectedFace
from proctor.models.cards import ModelCard
from proctor.models.engine import Embedder


@dataclass(frozen=True, slots=True)
class Normaliser:
    mean: float
    std: float

    @classmethod
    def from_card(cls, card: ModelCard) -> Normaliser:
        return cls(card.impostor_mean, card.impostor_std)

    def __call__(self, score: np.ndarray | float) -> np.ndarray:
        return (np.asarray(score, dtype=np.float64) - self.mean) / self.std


def fuse(
    first: np.ndarray,
    second: np.ndarray,
    norm_first: Normaliser,
    norm_second: Normaliser,
    weight: float,
) -> np.ndarray:
    """Weighted sum of the two engines' normalised scores; `weight` belongs to `first`."""
    return weight * norm_first(first) + (1.0 - weight) * norm_second(second)


# A fused embedding is the concatenation of these engines' embeddings, in this order.
FUSED_PARTS: dict[str, slice] = {"sface": slice(0, 128), "dlib": slice(128, 256)}


def template_for(template: np.ndarray, stored_engine: str, wanted_engine: str) -> np.ndarray | None:
    """The `wanted_engine` template inside one made by `stored_engine`, if there is one.

    A station runs one engine (sface, for speed); templates enrolled with `fused` carry it.
    """
    if stored_engine == wanted_engine:
        return template
    if stored_engine == "fused" and wanted_engine in FUSED_PARTS:
        return template[FUSED_PARTS[wanted_engine]]
    return None


class FusedEmbedder:
    name = "fused"

    def __init__(
        self,
        first: Embedder,
        second: Embedder,
        norm_first: Normaliser,
        norm_second: Normaliser,
        weight: float,
    ) -> None:
        self._first, self._second = first, second
        self._norms = (norm_first, norm_second)
        self._weight = weight
        self._split = first.dim
        self.dim = first.dim + second.dim
        self.floor = float(
            fuse(np.float64(first.floor), np.float64(second.floor), norm_first, norm_second, weight)
        )

    def embed(self, image: np.ndarray, face: DetectedFace) -> np.ndarray:
        return np.concatenate([self._first.embed(image, face), self._second.embed(image, face)])

    def similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        k = self._split
        return fuse(
            self._first.similarity(a[..., :k], b[..., :k]),
            self._second.similarity(a[..., k:], b[..., k:]),
            *self._norms,
            self._weight,
        )
