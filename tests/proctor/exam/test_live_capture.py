"""The live-capture policy's table: a checkpoint photo is judged as a webcam frame."""

from __future__ import annotations

import pytest

from proctor.exam.live_capture import LiveDecision, judge
from proctor.faces.quality import QualityCode, QualityReason, Severity

T = 0.36
TURNED = (QualityReason(QualityCode.POSE_YAW, Severity.REJECT, 0.5, 0.35),)
DARK_AND_HIDDEN = (
    QualityReason(QualityCode.TOO_DARK, Severity.REJECT, 30.0, 50.0),
    QualityReason(QualityCode.FACE_HIDDEN, Severity.REJECT, 0.86, 0.9),
)


@pytest.mark.parametrize(
    ("score", "problems", "decision", "reasons"),
    [
        (None, (), LiveDecision.NO_FACE, ()),
        (0.80, (), LiveDecision.MATCH, ()),
        (T, (), LiveDecision.MATCH, ()),  # at the threshold is a match, as everywhere
        (0.80, TURNED, LiveDecision.MATCH, TURNED),  # a confident match on a turned face
        (0.20, TURNED, LiveDecision.RETAKE, TURNED),  # a low score that cannot be trusted
        (0.10, DARK_AND_HIDDEN, LiveDecision.RETAKE, DARK_AND_HIDDEN),
        (0.20, (), LiveDecision.NO_MATCH, ()),  # a clear face that is someone else
        (T - 1e-6, (), LiveDecision.NO_MATCH, ()),
    ],
)
def test_the_live_capture_table(score, problems, decision, reasons):
    judged = judge(score, T, problems)
    assert (judged.decision, judged.reasons) == (decision, reasons)


def test_a_retake_keeps_the_checkpoints_stable_code_and_says_what_to_do():
    judged = judge(0.1, T, DARK_AND_HIDDEN)
    assert str(judged.decision) == "quality_rejected"
    assert [r.message_en for r in judged.reasons] == [
        "The photo is too dark; add light in front of the face.",
        "Part of the face is hidden; lower your hand and keep the face uncovered.",
    ]
