"""One scale for every score people read: 50 is each engine's threshold, 0 its typical
impostor, and a score is never shown on the wrong side of 50."""

from __future__ import annotations

import pytest

from proctor.faces.match_level import level_of, match_level
from proctor.models.cards import load_card


def test_the_scale_is_anchored_at_the_impostor_mean_and_the_threshold():
    assert match_level(0.36, 0.36, 0.08).value == 50
    assert match_level(0.08, 0.36, 0.08).value == 0
    assert match_level(0.64, 0.36, 0.08).value == 100
    assert match_level(0.22, 0.36, 0.08).value == 25
    assert match_level(-0.5, 0.36, 0.08).value == 0 and match_level(0.99, 0.36, 0.08).value == 100


def test_a_score_is_never_shown_on_the_wrong_side_of_the_threshold():
    just_below = match_level(0.35999, 0.36, 0.08)
    just_at = match_level(0.36, 0.36, 0.08)
    assert (just_below.value, just_below.matches) == (49, False)
    assert (just_at.value, just_at.matches) == (50, True)
    assert just_below.words("id") == "tidak cocok" and just_at.words("en") == "match"
    assert match_level(0.6, 0.36, 0.08).words("id") == "sangat cocok"
    assert match_level(0.1, 0.36, 0.08).words("en") == "clearly another face"


@pytest.mark.parametrize("engine", ["sface", "dlib", "fused"])
def test_every_engine_meets_the_threshold_at_50(engine: str):
    card = load_card(engine)
    assert level_of(card.threshold, card.threshold, engine).value == 50
    assert level_of(card.impostor_mean, card.threshold, engine).value == 0


def test_what_cannot_be_placed():
    assert level_of(None, 0.36, "sface") is None and level_of(0.3, None, "sface") is None
    unknown = level_of(0.95, 0.9, "no-such-engine")  # no card: judged by the threshold alone
    assert unknown is not None and unknown.matches and unknown.value >= 50
