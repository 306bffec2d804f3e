"""1:N identification on LFW View 1: galleries, probes and the figures of an open-set search.

Protocol (one split at a time; the threshold is set on `devtrain` and reported on `devtest`):
- people with two or more photos are dealt into three folds by a hash of their name; in each
  round one fold is left out of the gallery and the others are enrolled with their first photo;
- every person with a single photo is enrolled too, as a distractor;
- mated probes: the enrolled people's other photos; non-mated probes: every photo of the people
  left out. The three rounds are pooled, so every multi-photo person is left out once.
A search returns the gallery's best score; FPIR(t) is the share of non-mated probes whose best
score reaches t, FNIR(t) the share of mated probes whose mate scores below t (at any rank),
rank-1 the share of mated probes whose best gallery entry is their mate.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

FOLDS = 3
# LFW's known label errors: one person filed under two names. Left as they are, the pair is a
# "non-mated" search scoring 0.75 (SFace), which alone would set the threshold at FPIR 1e-3.
SAME_PERSON = {"Joseph_Blatter": "Sepp_Blatter"}


@dataclass(frozen=True)
class Searches:
    """The outcome of every probe's search, pooled over the rounds."""

    mate_scores: np.ndarray  # mated probes: the mate's score
    mated_best_is_mate: np.ndarray  # mated probes: rank-1 hit
    non_mated_best: np.ndarray  # non-mated probes: the best gallery score
    gallery_size: int  # mean over the rounds


def fold_of(person: str) -> int:
    return int(hashlib.sha256(person.encode()).hexdigest(), 16) % FOLDS


def searches(ids: list[str], scores: np.ndarray, usable: np.ndarray) -> Searches:
    """`scores`: all-against-all similarity of the split's photos (in `ids` order); photos
    without a face (`usable` False) are neither enrolled nor searched."""
    photos: dict[str, list[int]] = defaultdict(list)
    for i, person in enumerate(ids):
        if usable[i]:
            photos[SAME_PERSON.get(person, person)].append(i)
    singles = [rows[0] for rows in photos.values() if len(rows) == 1]
    multi = {p: rows for p, rows in photos.items() if len(rows) > 1}
    mate, rank1, non_mated, sizes = [], [], [], []
    for fold in range(FOLDS):
        enrolled = {p: rows for p, rows in multi.items() if fold_of(p) != fold}
        left_out = [i for p, rows in multi.items() if fold_of(p) == fold for i in rows]
        gallery = np.array([rows[0] for rows in enrolled.values()] + singles)
        sizes.append(len(gallery))
        owner = {rows[0]: p for p, rows in enrolled.items()}
        for person, rows in enrolled.items():
            for probe in rows[1:]:
                row = scores[probe, gallery]
                mate.append(scores[probe, rows[0]])
                rank1.append(owner.get(int(gallery[int(np.argmax(row))])) == person)
        if left_out:
            non_mated.extend(scores[np.array(left_out)][:, gallery].max(axis=1))
    return Searches(
        np.asarray(mate, dtype=np.float64),
        np.asarray(rank1, dtype=bool),
        np.asarray(non_mated, dtype=np.float64),
        round(float(np.mean(sizes))),
    )


def threshold_for_fpir(non_mated_best: np.ndarray, fpir: float) -> float:
    """The lowest threshold at which at most `fpir` of the non-mated probes reach it."""
    ordered = np.sort(non_mated_best)[::-1]
    allowed = int(np.floor(fpir * len(ordered)))
    if allowed >= len(ordered):
        return float(ordered[-1])
    # Just above the (allowed + 1)-th best non-mated score.
    return float(np.nextafter(ordered[allowed], np.inf))


def fpir_at(non_mated_best: np.ndarray, threshold: float) -> float:
    return float(np.mean(non_mated_best >= threshold))


def fnir_at(mate_scores: np.ndarray, threshold: float) -> float:
    return float(np.mean(mate_scores < threshold))
