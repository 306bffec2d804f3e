"""One scale for every score a person reads: the match level, 0 to 100.

Engines score on scales of their own (SFace a cosine near 0.36 at its threshold, the fused
engine a z-score near 2.7), so a proctor comparing a station's 0.25 with a checkpoint's 4.50
compares nothing. The level puts each score against the threshold it was judged by and the
engine's typical score of two different people (the impostor mean on its model card):

    impostor mean -> 0    threshold -> 50    threshold + (threshold - impostor mean) -> 100

clipped to 0..100. 50 is therefore always the line between a match and a mismatch, whichever
engine scored, and the engine's own number stays beside the level for those who audit it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from proctor.errors import ProctorError
from proctor.models.cards import load_card

THRESHOLD_LEVEL = 50
# (lowest level, Bahasa Indonesia, English), best first.
WORDS = (
    (75, "sangat cocok", "strong match"),
    (50, "cocok", "match"),
    (25, "tidak cocok", "mismatch"),
    (0, "sangat berbeda", "clearly another face"),
)


@dataclass(frozen=True)
class Level:
    value: int  # 0..100
    score: float  # the engine's own number
    threshold: float
    engine: str

    @property
    def matches(self) -> bool:
        return self.score >= self.threshold

    def words(self, lang: str) -> str:
        if self.matches:
            pair = WORDS[0] if self.value >= WORDS[0][0] else WORDS[1]
        else:
            pair = WORDS[2] if self.value >= WORDS[2][0] else WORDS[3]
        return pair[2] if lang == "en" else pair[1]


def _span(threshold: float, impostor_mean: float) -> float:
    span = threshold - impostor_mean
    if span <= 0:  # a threshold set below the typical impostor (tests, odd configs)
        span = abs(threshold) or 1.0
    return span


def match_level(score: float, threshold: float, impostor_mean: float, engine: str = "") -> Level:
    value = THRESHOLD_LEVEL + THRESHOLD_LEVEL * (score - threshold) / _span(
        threshold, impostor_mean
    )
    value = min(100.0, max(0.0, value))
    # Never shown on the wrong side of 50: a match is at least 50, a mismatch at most 49.
    rounded = round(value)
    if score >= threshold:
        shown = max(rounded, THRESHOLD_LEVEL)
    else:
        shown = min(rounded, THRESHOLD_LEVEL - 1)
    return Level(shown, score, threshold, engine)


@cache
def impostor_mean(engine: str) -> float | None:
    """From the engine's model card; None for an engine without one (fakes in tests)."""
    try:
        return load_card(engine).impostor_mean
    except (ProctorError, AttributeError):
        return None


def level_of(score: float | None, threshold: float | None, engine: str) -> Level | None:
    if score is None or threshold is None:
        return None
    mean = impostor_mean(engine)
    return match_level(score, threshold, mean if mean is not None else threshold - 1.0, engine)


def score_at(level: float, threshold: float, engine: str) -> float | None:
    """The engine's score that reads as `level` (the inverse of `match_level`); None for an
    engine without a model card, which has no impostor mean to measure from."""
    mean = impostor_mean(engine)
    if mean is None:
        return None
    return threshold + _span(threshold, mean) * (level - THRESHOLD_LEVEL) / THRESHOLD_LEVEL
