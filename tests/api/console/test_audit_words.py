"""Audit details in words: states, reasons and flags by name, yes/no, short ids, no braces."""

from __future__ import annotations

from proctor.api.console.audit_words import detail_words

ATTEMPT = "134caa52-a499-4e01-a911-cf8364d0a5bc"


def test_details_read_as_words_in_either_language():
    details = {
        "attempt_id": ATTEMPT,
        "reason": "face_mismatch",
        "previous": "in_progress",
        "nik_recorded": False,
        "changed": ["engine", "policy"],
        "config": {"engine": "fused", "policy": {"mismatch_k": 3}, "max_batch": 200},
        "note": None,
        "custom_thing": "as is",
    }
    said = dict(detail_words("id")(details, "attempt"))
    assert said == {
        "ujian": "134caa52",
        "alasan": "Wajah tidak cocok",
        "sebelumnya": "Sedang ujian",
        "NIK dicatat": "tidak",
        "yang berubah": "engine, policy",
        "pengaturan": "engine=fused, max_batch=200",
        "custom thing": "as is",
    }
    english = dict(detail_words("en")(details, "attempt"))
    assert english["reason"] == "Face mismatch"
    assert english["exam"] == "134caa52"
    assert english["NIK recorded"] == "no"
    assert not any("{" in v or "[" in v or "_" in k for k, v in english.items())


def test_an_unknown_code_is_shown_as_it_is_and_long_values_are_cut():
    said = dict(detail_words("en")({"reason": "new_reason", "text": "x" * 500}))
    assert said["reason"] == "new_reason"
    assert len(said["text"]) == 200 and said["text"].endswith("…")


def test_a_previous_state_is_named_by_its_subjects_states():
    words = detail_words("en")
    assert dict(words({"previous": "in_progress"}, "attempt"))["previously"] == "In progress"
    case = dict(words({"previous": "in_progress"}, "complaint"))["previously"]
    assert case != "in_progress"
    assert dict(words({"previous": "in_progress"}))["previously"] == "in_progress"
