"""Genuine and impostor score sets from cached embeddings (pairs with a missing face score
the engine's floor, as `proctor pairs` does)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from lfw_data import EmbeddingCache, Lfw

from proctor.models import similarity
from proctor.models.cards import ModelCard
from proctor.models.fused import Normaliser, fuse

FLOOR = -1.0  # both base engines' floor_score

# (row-wise, all-against-all) similarity of each base engine
SIMILARITY = {
    "sface": (similarity.cosine, similarity.cosine_matrix),
    "dlib": (similarity.one_minus_distance, similarity.one_minus_distance_matrix),
}


@dataclass(frozen=True)
class ScoreSet:
    genuine: np.ndarray
    impostor: np.ndarray


def official_scores(lfw: Lfw, cache: EmbeddingCache, engine: str, split: str) -> ScoreSet:
    pairs, same = lfw.official_pairs(split)
    index = cache.index
    a = cache.embeddings[[index[p] for p, _ in pairs]]
    b = cache.embeddings[[index[q] for _, q in pairs]]
    scores = SIMILARITY[engine][0](a, b)
    scores = np.where(np.isnan(scores), FLOOR, scores)
    return ScoreSet(scores[same], scores[~same])


def exhaustive_scores(lfw: Lfw, cache: EmbeddingCache, engine: str, split: str) -> ScoreSet:
    """Every pair of the split's photos: same identity -> genuine, else impostor."""
    paths = lfw.split_images(split)
    index = cache.index
    emb = cache.embeddings[[index[p] for p in paths]]
    ids = np.array([lfw.labels[p] for p in paths])
    valid = ~np.isnan(emb).any(axis=1)
    safe = np.where(valid[:, None], emb, 0.0).astype(np.float32)
    matrix = SIMILARITY[engine][1](safe, safe)
    matrix[~valid, :] = FLOOR
    matrix[:, ~valid] = FLOOR
    upper = np.triu_indices(len(paths), k=1)
    same = ids[upper[0]] == ids[upper[1]]
    scores = matrix[upper]
    return ScoreSet(scores[same].astype(np.float64), scores[~same].astype(np.float64))


def fused_set(
    sface: ScoreSet, dlib: ScoreSet, sface_card: ModelCard, dlib_card: ModelCard, weight: float
) -> ScoreSet:
    ns, nd = Normaliser.from_card(sface_card), Normaliser.from_card(dlib_card)
    return ScoreSet(
        fuse(sface.genuine, dlib.genuine, ns, nd, weight),
        fuse(sface.impostor, dlib.impostor, ns, nd, weight),
    )


def base_score_sets(
    lfw: Lfw, caches: dict[str, EmbeddingCache], split: str
) -> tuple[dict[str, ScoreSet], dict[str, ScoreSet]]:
    """(official pairs, all pairs) of the split for each base engine with a cache."""
    official = {e: official_scores(lfw, c, e, split) for e, c in caches.items()}
    exhaustive = {e: exhaustive_scores(lfw, c, e, split) for e, c in caches.items()}
    return official, exhaustive


def engine_failure_to_detect(
    lfw: Lfw, caches: dict[str, EmbeddingCache], engine: str, split: str
) -> float:
    """A fused engine misses a face wherever either of its base engines does."""
    used = caches.values() if engine == "fused" else [caches[engine]]
    return max(failure_to_detect(lfw, c, split) for c in used)


def failure_to_detect(lfw: Lfw, cache: EmbeddingCache, split: str | None = None) -> float:
    paths = lfw.split_images(split) if split else cache.paths
    index = cache.index
    return float(np.mean([bool(cache.errors[index[p]]) for p in paths]))
