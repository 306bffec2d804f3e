"""Model cards carry the 1:N threshold beside the 1:1 one; a card without it is refused for
search, so a 1:1 threshold never stands in for it."""

from __future__ import annotations

import json

import pytest

from proctor.errors import EngineError
from proctor.models import cards


def test_every_shipped_card_has_a_stricter_search_threshold():
    for engine in ("sface", "dlib", "fused"):
        card = cards.load_card(engine)
        assert card.identification is not None
        assert cards.identification_threshold(engine) == card.identification.threshold
        assert card.identification.threshold > card.threshold
        assert card.identification.target_fpir == 1e-3


def test_no_card_means_no_threshold_and_a_card_without_one_is_refused(tmp_path, monkeypatch):
    assert cards.identification_threshold("fake") is None
    with pytest.raises(EngineError):
        cards.required_identification_threshold("fake")
    old = json.loads(cards.card_resource("sface", ".json").read_text())
    del old["identification"]
    (tmp_path / "old.json").write_text(json.dumps(old))
    monkeypatch.setattr(cards, "card_resource", lambda engine, suffix: tmp_path / f"old{suffix}")
    with pytest.raises(EngineError, match="no 1:N threshold") as refused:
        cards.identification_threshold("old")
    assert refused.value.code == "model_card_invalid"
