"""Verification metrics on genuine and impostor score sets (higher score = more alike).

A pair is accepted as a match when `score >= threshold`, as everywhere in Proctor.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


def threshold_for_far(impostor: np.ndarray, far: float) -> float:
    """Lowest threshold whose false accept rate on `impostor` is at most `far`."""
    imp = np.sort(np.asarray(impostor, dtype=np.float64))[::-1]
    if imp.size == 0:
        raise ValueError("no impostor scores")
    allowed = int(np.floor(far * imp.size + 1e-9))
    if allowed >= imp.size:
        return float(imp[-1])
    # Accept strictly above the (allowed+1)-th highest impostor score.
    return float(np.nextafter(imp[allowed], np.inf))


def rates_at(genuine: np.ndarray, impostor: np.ndarray, threshold: float) -> tuple[float, float]:
    """(true accept rate, false accept rate) at a threshold."""
    return float(np.mean(genuine >= threshold)), float(np.mean(impostor >= threshold))


def tar_at_far(genuine: np.ndarray, impostor: np.ndarray, far: float) -> float:
    return rates_at(genuine, impostor, threshold_for_far(impostor, far))[0]


def roc_curve(
    genuine: np.ndarray, impostor: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(thresholds, far, tar), thresholds descending, over every distinct score."""
    scores = np.concatenate([genuine, impostor]).astype(np.float64)
    labels = np.concatenate([np.ones(len(genuine)), np.zeros(len(impostor))])
    order = np.argsort(-scores, kind="mergesort")
    scores, labels = scores[order], labels[order]
    last_of_tie = np.r_[np.diff(scores) != 0, True]
    tp = np.cumsum(labels)[last_of_tie]
    fp = np.cumsum(1 - labels)[last_of_tie]
    return scores[last_of_tie], fp / max(len(impostor), 1), tp / max(len(genuine), 1)


def equal_error_rate(genuine: np.ndarray, impostor: np.ndarray) -> float:
    _, far, tar = roc_curve(genuine, impostor)
    frr = 1.0 - tar
    i = int(np.argmin(np.abs(far - frr)))
    return float((far[i] + frr[i]) / 2)


def best_accuracy(genuine: np.ndarray, impostor: np.ndarray) -> tuple[float, float]:
    """(accuracy, threshold) maximising accuracy over every candidate threshold."""
    thresholds, far, tar = roc_curve(genuine, impostor)
    n_g, n_i = len(genuine), len(impostor)
    correct = tar * n_g + (1 - far) * n_i
    i = int(np.argmax(correct))
    return float(correct[i] / (n_g + n_i)), float(thresholds[i])


def accuracy_at(genuine: np.ndarray, impostor: np.ndarray, threshold: float) -> float:
    tar, far = rates_at(genuine, impostor, threshold)
    n_g, n_i = len(genuine), len(impostor)
    return (tar * n_g + (1 - far) * n_i) / (n_g + n_i)


@dataclass(frozen=True, slots=True)
class Summary:
    genuine_pairs: int
    impostor_pairs: int
    accuracy: float
    accuracy_threshold: float
    eer: float
    tar_at_far_1e2: float
    tar_at_far_1e3: float
    tar_at_far_1e4: float | None  # only where there are at least 10,000 impostor pairs

    def as_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


def summarise(genuine: np.ndarray, impostor: np.ndarray) -> Summary:
    genuine = np.asarray(genuine, dtype=np.float64)
    impostor = np.asarray(impostor, dtype=np.float64)
    accuracy, threshold = best_accuracy(genuine, impostor)
    return Summary(
        genuine_pairs=len(genuine),
        impostor_pairs=len(impostor),
        accuracy=accuracy,
        accuracy_threshold=threshold,
        eer=equal_error_rate(genuine, impostor),
        tar_at_far_1e2=tar_at_far(genuine, impostor, 1e-2),
        tar_at_far_1e3=tar_at_far(genuine, impostor, 1e-3),
        tar_at_far_1e4=tar_at_far(genuine, impostor, 1e-4) if len(impostor) >= 10_000 else None,
    )
