"""The live-capture policy: a checkpoint photo (desk, station login, re-verification) judged for
what it is, a webcam frame, not a registration photo.

Registration photos keep the strict quality gate: they become templates. A live photo answers
one question, whether its face matches the candidate's, and the quality only says how far its
score can be trusted:

| face found | score vs threshold | live problems (turned, hidden, dark...) | decision          |
|------------|--------------------|------------------------------------------|-------------------|
| no         | -                  | -                                        | no_face           |
| yes        | at or above        | any                                      | match             |
| yes        | below              | some                                     | quality_rejected  |
| yes        | below              | none                                     | no_match          |

A confident match on a slightly turned or dim face is a match: problems lower a genuine score,
and impostors matched no more often on frames with problems (benchmarks/live_capture.py,
devtrain: 0.075 % against 0.080 % of trials at the `fused` threshold). A low
score on a face that could not be read asks for a retake with the reasons to act on ("look at the
camera", "more light") instead of calling the candidate someone else; a retake never passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from proctor.faces.quality import QualityReason


class LiveDecision(StrEnum):
    MATCH = "match"
    NO_MATCH = "no_match"
    NO_FACE = "no_face"
    RETAKE = "quality_rejected"  # the stable code checkpoints have always used for it


@dataclass(frozen=True, slots=True)
class LiveJudgement:
    decision: LiveDecision
    reasons: tuple[QualityReason, ...]  # what to fix before a retake; noted on a match


def judge(
    score: float | None, threshold: float, problems: tuple[QualityReason, ...]
) -> LiveJudgement:
    if score is None:
        return LiveJudgement(LiveDecision.NO_FACE, ())
    if score >= threshold:
        return LiveJudgement(LiveDecision.MATCH, problems)
    if problems:
        return LiveJudgement(LiveDecision.RETAKE, problems)
    return LiveJudgement(LiveDecision.NO_MATCH, ())
