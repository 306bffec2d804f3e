"""Every stored value the console shows has a label in both languages, so no page shows a raw
code to a proctor or the public; a state added later without a label fails here."""

from __future__ import annotations

from enum import StrEnum

import pytest

from proctor.access.tokens import Role
from proctor.api.console import labels
from proctor.cases import complaints, procedure
from proctor.exam import checkpoints
from proctor.exam.attempts import AttemptState
from proctor.exam.policy import Flag, PauseReason
from proctor.identity import duplicates, watch_hits, watchlist
from proctor.review import review
from proctor.review.risk import FACTOR_TEXT

SHOWN: list[tuple[str, type[StrEnum]]] = [
    ("attempt", AttemptState),
    ("incident", review.ReviewState),
    ("case", procedure.CaseState),
    ("track", procedure.Track),
    ("escalation", procedure.Escalation),
    ("checkpoint", checkpoints.CheckpointKind),
    ("decision", checkpoints.Decision),
    ("channel", complaints.Channel),
    ("category", complaints.Category),
    ("flag", Flag),
    ("pause", PauseReason),
    ("role", Role),
    ("duplicate", duplicates.DuplicateState),
    ("hit", watch_hits.HitState),
    ("hit_place", watch_hits.HitPlace),
    ("watch_entry", watchlist.EntryState),
    ("watch_source", watchlist.EntrySource),
]


@pytest.mark.parametrize(("kind", "enum"), SHOWN, ids=[k for k, _ in SHOWN])
def test_every_value_has_a_label_in_both_languages(kind: str, enum: type[StrEnum]):
    missing = {str(v) for v in enum} - labels.VALUES[kind].keys()
    assert not missing, f"{kind} values without a label: {sorted(missing)}"
    for value in enum:
        indonesian, english = labels.VALUES[kind][str(value)]
        assert indonesian.strip() and english.strip(), (kind, value)
        assert labels.value_label("id")(kind, value) == indonesian
        assert labels.value_label("en")(kind, value) == english


def test_review_actions_and_risk_factors_have_labels():
    actions = {"review_started", review.PROPOSAL, "appealed", "closed"}
    actions |= {str(d) for d in review.DECISIONS}
    assert actions <= labels.VALUES["review_action"].keys()
    assert FACTOR_TEXT.keys() == labels.RISK.keys()
    explain = labels.risk_explainer("id")
    assert explain({"code": "paused", "reason": "face_mismatch"}) == "Dihentikan: Wajah tidak cocok"
    assert explain({"code": "flag", "flag": "liveness"}) == "Tanda: Dugaan foto atau layar"


def test_unknown_values_and_codes_are_shown_not_hidden():
    assert labels.value_label("en")("attempt", "teleported") == "teleported"
    assert labels.value_label("id")("case", None) == ""
    explain = labels.error_explainer("en")
    assert explain("image_truncated") == labels.IMAGE_ERROR[1]
    assert explain("never_heard_of_it") == labels.GENERAL_ERROR[1]
    assert explain("forbidden") != explain("csrf_invalid")


def test_reads_of_biometric_data_are_labelled_in_both_languages():
    from proctor.audit.data_reads import DataKind, Purpose

    kinds = labels.VALUES["evidence"] | labels.VALUES["data_kind"]
    assert {str(k) for k in DataKind} <= kinds.keys()
    assert {str(p) for p in Purpose} == labels.VALUES["data_purpose"].keys()
    assert all(i.strip() and e.strip() for i, e in labels.VALUES["data_purpose"].values())
