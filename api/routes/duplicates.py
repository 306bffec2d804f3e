"""Duplicate enrolments: one face under two participant numbers, found by the 1:N search at
enrolment; the registration authority (admin) decides each, the committee reads them."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter

from proctor.access.tokens import Role
from proctor.api.deps import Caller, DbSession
from proctor.api.schemas import Public, Reason, Strict
from proctor.errors import ErrorCode, NotFoundError
from proctor.exam import catalog
from proctor.identity import duplicates
from proctor.identity.duplicates import DuplicateRow, DuplicateState
from proctor.store.exam import DuplicateFace

router = APIRouter(tags=["duplicates"])


class DuplicatePublic(Public):
    id: uuid.UUID
    candidate_id: uuid.UUID
    participant_number: str
    other_candidate_id: uuid.UUID
    other_participant_number: str
    score: float
    engine: str
    status: DuplicateState
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


class DuplicateDecision(Strict):
    verdict: DuplicateState
    reason: Reason


def _public(found: DuplicateRow) -> DuplicatePublic:
    case = found.case
    return DuplicatePublic(
        id=case.id, candidate_id=case.candidate_id, participant_number=found.participant_number,
        other_candidate_id=case.other_candidate_id,
        other_participant_number=found.other_participant_number, score=case.score,
        engine=case.engine, status=DuplicateState(case.status), created_at=case.created_at,
        decided_by=case.decided_by, decided_at=case.decided_at, reason=case.reason,
    )  # fmt: skip


@router.get("/duplicates", response_model=list[DuplicatePublic])
def list_duplicates(
    db: DbSession, caller: Caller, status: DuplicateState = DuplicateState.OPEN, limit: int = 200
) -> list[DuplicatePublic]:
    """Cases in `status` (open by default), the highest score first."""
    caller.require(Role.ADMIN, Role.COMMITTEE)
    return [_public(r) for r in duplicates.find(db, status=status, limit=min(max(limit, 1), 1000))]


@router.post("/duplicates/{case_id}/decision", response_model=DuplicatePublic)
def decide_duplicate(
    case_id: uuid.UUID, body: DuplicateDecision, db: DbSession, caller: Caller
) -> DuplicatePublic:
    """`same_person` confirms the double registration; `twins` or `look_alike` dismisses it.
    Final, with a reason, audited."""
    caller.require(Role.ADMIN)
    case = catalog.get(db, DuplicateFace, case_id, "duplicate face", lock=True)
    duplicates.decide(db, case, body.verdict, actor=caller.actor, reason=body.reason)
    db.commit()
    found = duplicates.row(db, case.id)
    if found is None:  # pragma: no cover - its candidates cannot vanish in between
        raise NotFoundError(f"no duplicate face {case_id}", code=ErrorCode.NOT_FOUND)
    return _public(found)
