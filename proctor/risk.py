"""How likely an incident is a proxy test-taker, to rank the review queue (highest first).

A transparent points score, each point with its reason, so a reviewer sees why an incident
sits where it does. It orders work; it decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from proctor.store.evidence import AttemptFlag, Checkpoint, Incident
from proctor.store.exam import Attempt, DuplicateFace

REASON_POINTS = {"face_mismatch": 35, "camera_blocked": 20, "multiple_faces": 20, "face_absent": 10}
FLAG_POINTS = {"multiple_faces": 10, "liveness": 15, "camera": 5}


@dataclass(frozen=True)
class Risk:
    score: int  # 0..100
    reasons: tuple[str, ...]


def risk_of(session: Session, incident: Incident) -> Risk:
    points: list[tuple[int, str]] = []
    points.append((REASON_POINTS.get(incident.reason, 10), f"paused for {incident.reason}"))

    details = incident.details or {}
    threshold = details.get("threshold")
    scores = [t["score"] for t in details.get("timeline", []) if t.get("score") is not None]
    if threshold is not None and scores:
        below = [s for s in scores if s < threshold]
        if below:
            depth = min(1.0, (threshold - min(below)) / max(abs(threshold), 0.1))
            points.append((round(10 + 20 * depth), f"{len(below)} of {len(scores)} scores below"))

    attempt = session.get(Attempt, incident.attempt_id)
    if attempt is not None:
        overridden = session.scalar(
            select(func.count())
            .select_from(Checkpoint)
            .where(Checkpoint.attempt_id == attempt.id, Checkpoint.overridden_by.is_not(None))
        )
        if overridden:
            points.append((15, "a failed checkpoint was overridden"))
        duplicates = session.scalar(
            select(func.count())
            .select_from(DuplicateFace)
            .where(
                or_(
                    DuplicateFace.candidate_id == attempt.candidate_id,
                    DuplicateFace.other_candidate_id == attempt.candidate_id,
                )
            )
        )
        if duplicates:
            points.append((30, "the registration face is enrolled under another number too"))
        kinds = set(
            session.scalars(
                select(AttemptFlag.kind).where(AttemptFlag.attempt_id == attempt.id).distinct()
            )
        )
        for kind in sorted(kinds & FLAG_POINTS.keys()):
            points.append((FLAG_POINTS[kind], f"flag {kind}"))
    return Risk(min(100, sum(p for p, _ in points)), tuple(r for _, r in points))
