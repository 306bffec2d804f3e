"""The engines' similarity measures as plain functions (higher = more alike).

Row-wise forms take two equally shaped stacks (or two vectors); `_matrix` forms compare every
row of `a` with every row of `b`, which the benchmarks use on millions of pairs.
"""

from __future__ import annotations

import numpy as np


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of L2-normalised embeddings, in [-1, 1]."""
    return np.clip(np.einsum("...d,...d->...", a, b), -1.0, 1.0)


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.clip(a @ b.T, -1.0, 1.0)


def one_minus_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1 - Euclidean distance: dlib's 0.6 distance threshold is a similarity of 0.4."""
    return 1.0 - np.linalg.norm(a - b, axis=-1)


def one_minus_distance_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    squared = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * (a @ b.T)
    return 1.0 - np.sqrt(np.maximum(squared, 0.0))
