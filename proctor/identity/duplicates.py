"""One face enrolled under two participant numbers: a case the registration authority decides.

    open -> same_person | twins | look_alike

`same_person` confirms a double registration (one person, two numbers: a joki who registered
his own face, or a candidate registered twice); `twins` and `look_alike` dismiss it. A decision
carries a reason and is final; it and its audit record are written in one transaction. Only
open and confirmed cases count in an incident's risk.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from proctor.audit import trail
from proctor.clock import utcnow
from proctor.reasons import reason_text
from proctor.store.exam import Candidate, DuplicateFace
from proctor.transitions import require_move


class DuplicateState(StrEnum):
    OPEN = "open"
    SAME_PERSON = "same_person"
    TWINS = "twins"
    LOOK_ALIKE = "look_alike"


D = DuplicateState
TRANSITIONS: dict[DuplicateState, frozenset[DuplicateState]] = {
    D.OPEN: frozenset({D.SAME_PERSON, D.TWINS, D.LOOK_ALIKE}),
    D.SAME_PERSON: frozenset(),
    D.TWINS: frozenset(),
    D.LOOK_ALIKE: frozenset(),
}
COUNTS_AS_RISK = (D.OPEN, D.SAME_PERSON)


def decide(
    session: Session, case: DuplicateFace, verdict: DuplicateState, *, actor: str, reason: str
) -> None:
    current = DuplicateState(case.status)
    require_move(TRANSITIONS, current, verdict, what="a duplicate face")
    text = reason_text(reason)
    case.status, case.decided_by, case.decided_at, case.reason = (
        str(verdict),
        actor,
        utcnow(),
        text,
    )
    trail.record(
        session,
        actor=actor,
        action=f"duplicate_face.{verdict}",
        subject_type="duplicate_face",
        subject_id=case.id,
        previous=str(current),
        candidate_id=str(case.candidate_id),
        other_candidate_id=str(case.other_candidate_id),
    )


@dataclass(frozen=True)
class DuplicateRow:
    case: DuplicateFace
    participant_number: str
    other_participant_number: str


def _with_numbers() -> Select:
    first, second = aliased(Candidate), aliased(Candidate)
    return (
        select(DuplicateFace, first.participant_number, second.participant_number)
        .join(first, first.id == DuplicateFace.candidate_id)
        .join(second, second.id == DuplicateFace.other_candidate_id)
    )


def find(
    session: Session, *, status: DuplicateState = D.OPEN, limit: int = 200
) -> list[DuplicateRow]:
    """Cases in `status` (open by default) with both participant numbers, best score first."""
    query = (
        _with_numbers()
        .where(DuplicateFace.status == str(status))
        .order_by(DuplicateFace.score.desc(), DuplicateFace.created_at)
        .limit(limit)
    )
    return [DuplicateRow(case, a, b) for case, a, b in session.execute(query)]


def row(session: Session, case_id: uuid.UUID) -> DuplicateRow | None:
    found = session.execute(_with_numbers().where(DuplicateFace.id == case_id)).first()
    return None if found is None else DuplicateRow(*found)
