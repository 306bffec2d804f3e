"""How likely an incident is a proxy test-taker, to rank the review queue (highest first).

A transparent points score, each point with its reason, so a reviewer sees why an incident
sits where it does. It orders work; it decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from proctor.identity.duplicates import COUNTS_AS_RISK
from proctor.store.evidence import AttemptFlag, Checkpoint, Incident
from proctor.store.exam import Attempt, DuplicateFace

REASON_POINTS = {"face_mismatch": 35, "camera_blocked": 20, "multiple_faces": 20, "face_absent": 10}
FLAG_POINTS = {"multiple_faces": 10, "liveness": 15, "camera": 5}
FACTOR_TEXT = {
    "paused": "paused for {reason}",
    "scores_below": "{below} of {total} scores below",
    "overridden": "a failed checkpoint was overridden",
    "duplicate_face": "the registration face is enrolled under another number too",
    "flag": "flag {flag}",
}


@dataclass(frozen=True)
class Factor:
    """One reason for points: a stable code and its facts, so the console can say it in the
    reader's language; `text` is the English the API has always returned."""

    points: int
    code: str  # paused | scores_below | overridden | duplicate_face | flag
    facts: dict[str, str | int]

    @property
    def text(self) -> str:
        return FACTOR_TEXT[self.code].format(**self.facts)

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "points": self.points, **self.facts}


@dataclass(frozen=True)
class Risk:
    score: int  # 0..100
    factors: tuple[Factor, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(f.text for f in self.factors)


def risk_of(session: Session, incident: Incident) -> Risk:
    points: list[Factor] = []
    reason = incident.reason
    points.append(Factor(REASON_POINTS.get(reason, 10), "paused", {"reason": reason}))

    details = incident.details or {}
    threshold = details.get("threshold")
    scores = [t["score"] for t in details.get("timeline", []) if t.get("score") is not None]
    if threshold is not None and scores:
        below = [s for s in scores if s < threshold]
        if below:
            depth = min(1.0, (threshold - min(below)) / max(abs(threshold), 0.1))
            facts = {"below": len(below), "total": len(scores)}
            points.append(Factor(round(10 + 20 * depth), "scores_below", facts))

    attempt = session.get(Attempt, incident.attempt_id)
    if attempt is not None:
        overridden = session.scalar(
            select(func.count())
            .select_from(Checkpoint)
            .where(Checkpoint.attempt_id == attempt.id, Checkpoint.overridden_by.is_not(None))
        )
        if overridden:
            points.append(Factor(15, "overridden", {}))
        duplicates = session.scalar(
            select(func.count())
            .select_from(DuplicateFace)
            .where(
                or_(
                    DuplicateFace.candidate_id == attempt.candidate_id,
                    DuplicateFace.other_candidate_id == attempt.candidate_id,
                ),
                # Dismissed as twins or look-alikes: no longer a reason for suspicion.
                DuplicateFace.status.in_([str(s) for s in COUNTS_AS_RISK]),
            )
        )
        if duplicates:
            points.append(Factor(30, "duplicate_face", {}))
        kinds = set(
            session.scalars(
                select(AttemptFlag.kind).where(AttemptFlag.attempt_id == attempt.id).distinct()
            )
        )
        for kind in sorted(kinds & FLAG_POINTS.keys()):
            points.append(Factor(FLAG_POINTS[kind], "flag", {"flag": kind}))
    return Risk(min(100, sum(f.points for f in points)), tuple(points))
