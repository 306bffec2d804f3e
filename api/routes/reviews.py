"""Review of the incidents that pauses file: the queue ranked by risk, the evidence packet,
and the reviewers' acts (take up, decide, appeal, close)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from proctor.access.tokens import Principal, Role
from proctor.api.deps import Caller, Context, DbSession
from proctor.api.schemas import Reason, Strict
from proctor.exam import attempts, catalog
from proctor.exam.checkpoints import of_attempt
from proctor.faces.enrollment import registration_photos
from proctor.review import review
from proctor.review.review import ReviewState
from proctor.review.risk import risk_of
from proctor.store.evidence import Checkpoint, Incident, IncidentEvidence, Observation
from proctor.store.exam import Attempt

router = APIRouter(tags=["incident review"])
REVIEWERS = (Role.ADMIN, Role.PROCTOR)
READERS = (Role.ADMIN, Role.PROCTOR, Role.COMMITTEE)


class ReasonBody(Strict):
    reason: Reason


class DecisionBody(Strict):
    decision: ReviewState
    reason: Reason


CandidateSearch = Annotated[
    str | None, Query(max_length=100, description="Part of a participant number or of a name")
]


class QueueItem(BaseModel):
    id: uuid.UUID
    attempt_id: uuid.UUID
    venue_id: uuid.UUID
    venue_code: str
    participant_number: str
    candidate_name: str
    station_code: str
    reason: str
    status: str
    opened_at: datetime
    risk: int
    risk_reasons: list[str]
    risk_factors: list[dict[str, Any]]


class DecisionPublic(BaseModel):
    round: int
    at: datetime
    actor: str
    action: str
    reason: str


class ReviewResult(BaseModel):
    id: uuid.UUID
    status: str
    review_round: int
    decisions: list[DecisionPublic]


def incident_in_scope(
    db: DbSession, caller: Principal, incident_id: uuid.UUID, *, write: bool
) -> tuple[Incident, Attempt]:
    caller.require(*(REVIEWERS if write else READERS))
    incident = catalog.get(db, Incident, incident_id, "incident", lock=write)  # one reviewer
    attempt = catalog.get(db, Attempt, incident.attempt_id, "attempt")
    caller.check_venue(attempt.station.venue_id, write=write)
    return incident, attempt


def _result(db: DbSession, incident: Incident) -> ReviewResult:
    return ReviewResult(
        id=incident.id,
        status=incident.status,
        review_round=incident.review_round,
        decisions=[
            DecisionPublic(round=d.round, at=d.at, actor=d.actor, action=d.action, reason=d.reason)
            for d in review.decisions(db, incident)
        ],
    )


@router.get("/reviews", response_model=list[QueueItem])
def review_queue(
    db: DbSession,
    caller: Caller,
    venue_id: uuid.UUID | None = None,
    limit: int = 100,
    q: CandidateSearch = None,
) -> list[QueueItem]:
    """Incidents waiting for a decision (new, under review, appealed), highest risk first."""
    caller.require(*READERS)
    if caller.role is Role.PROCTOR:
        venue_id = caller.venue_id
    items = []
    for incident, attempt, venue in review.waiting(db, venue_id=venue_id, search=q):
        risk = risk_of(db, incident)
        items.append(
            QueueItem(
                id=incident.id,
                attempt_id=attempt.id,
                venue_id=venue,
                venue_code=attempt.session.venue.code,
                participant_number=attempt.candidate.participant_number,
                candidate_name=attempt.candidate.name,
                station_code=attempt.station.code,
                reason=incident.reason,
                status=incident.status,
                opened_at=incident.opened_at,
                risk=risk.score,
                risk_reasons=list(risk.reasons),
                risk_factors=[f.to_dict() for f in risk.factors],
            )
        )
    items.sort(key=lambda i: (-i.risk, i.opened_at))
    return items[: min(max(limit, 1), 1000)]


@router.get("/incidents/{incident_id}/packet")
def evidence_packet(incident_id: uuid.UUID, db: DbSession, caller: Caller) -> dict[str, Any]:
    """Everything a reviewer weighs, side by side: registration photos and live snapshots (as
    authorised image URLs), the score timeline with its threshold, every checkpoint of the
    attempt with its engine and score, the flags, and the decisions so far."""
    incident, attempt = incident_in_scope(db, caller, incident_id, write=False)
    base = f"/api/v1/incidents/{incident.id}/evidence"
    checkpoints = of_attempt(db, attempt.id)
    photos = registration_photos(db, attempt.candidate_id)
    flags = attempts.flags(db, attempt.id)
    risk = risk_of(db, incident)
    return {
        "incident": {"id": str(incident.id), "reason": incident.reason, "status": incident.status,
                     "opened_at": incident.opened_at.isoformat(), "round": incident.review_round,
                     "trigger_seq": incident.details.get("trigger_seq")},
        "risk": {"score": risk.score, "reasons": list(risk.reasons),
                 "factors": [f.to_dict() for f in risk.factors]},
        "candidate": {"participant_number": attempt.candidate.participant_number,
                      "name": attempt.candidate.name,
                      "registration_photos": [str(p.id) for p in photos]},
        "station": attempt.station.code,
        "venue": {"code": attempt.session.venue.code, "name": attempt.session.venue.name,
                  "time_zone": attempt.session.venue.time_zone},
        "images": [
            {"kind": e.kind, "url": f"{base}/{e.id}", "observation_id": _str(e.observation_id),
             "checkpoint_id": _str(e.checkpoint_id), **_taken(db, e)}
            for e in incident.evidence
        ],
        "timeline": incident.details.get("timeline", []),
        "threshold": incident.details.get("threshold"),
        "checkpoints": [
            {"kind": c.kind, "engine": c.engine, "score": c.score, "threshold": c.threshold,
             "decision": c.decision, "at": c.created_at.isoformat(),
             "overridden_by": c.overridden_by, "override_reason": c.override_reason}
            for c in checkpoints
        ],
        "flags": [{"kind": f.kind, "raised_at": f.raised_at.isoformat()} for f in flags],
        "decisions": [d.model_dump(mode="json") for d in _result(db, incident).decisions],
    }  # fmt: skip


def _taken(db: DbSession, evidence: IncidentEvidence) -> dict[str, Any]:
    """When a live image was taken and what it scored (a registration photo has neither)."""
    if evidence.checkpoint_id is not None:
        checkpoint = db.get(Checkpoint, evidence.checkpoint_id)
        if checkpoint is not None:
            return {"at": checkpoint.created_at.isoformat(), "score": checkpoint.score,
                    "threshold": checkpoint.threshold, "engine": checkpoint.engine}  # fmt: skip
    if evidence.observation_id is not None:
        observation = db.get(Observation, evidence.observation_id)
        if observation is not None:
            return {"at": observation.observed_at.isoformat(), "score": observation.score}
    return {"at": None, "score": None}


def _str(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


@router.post("/incidents/{incident_id}/review/start", response_model=ReviewResult)
def start(incident_id: uuid.UUID, body: ReasonBody, db: DbSession, caller: Caller) -> ReviewResult:
    incident, _ = incident_in_scope(db, caller, incident_id, write=True)
    review.start_review(db, incident, actor=caller.actor, reason=body.reason)
    db.commit()
    return _result(db, incident)


@router.post("/incidents/{incident_id}/review/decision", response_model=ReviewResult)
def decide(
    incident_id: uuid.UUID, body: DecisionBody, db: DbSession, caller: Caller, context: Context
) -> ReviewResult:
    """`confirmed_proxy` needs two different reviewers: the first is recorded as a proposal.
    The second terminates the attempt and opens a linked complaint case."""
    incident, _ = incident_in_scope(db, caller, incident_id, write=True)
    review.decide(
        db, incident, body.decision, actor=caller.actor, reason=body.reason,
        rules=context.settings.complaints,
    )  # fmt: skip
    db.commit()
    return _result(db, incident)


@router.post("/incidents/{incident_id}/appeal", response_model=ReviewResult)
def file_appeal(
    incident_id: uuid.UUID, body: ReasonBody, db: DbSession, caller: Caller
) -> ReviewResult:
    """The candidate's appeal of a finding, entered by a complaint officer (or an admin)."""
    caller.require(Role.COMPLAINT_OFFICER, Role.ADMIN)
    incident = catalog.get(db, Incident, incident_id, "incident", lock=True)
    review.appeal(db, incident, actor=caller.actor, reason=body.reason)
    db.commit()
    return _result(db, incident)


@router.post("/incidents/{incident_id}/close", response_model=ReviewResult)
def close(incident_id: uuid.UUID, body: ReasonBody, db: DbSession, caller: Caller) -> ReviewResult:
    incident, _ = incident_in_scope(db, caller, incident_id, write=True)
    review.close(db, incident, actor=caller.actor, reason=body.reason)
    db.commit()
    return _result(db, incident)


@router.get("/incidents/{incident_id}/decisions", response_model=ReviewResult)
def decisions(incident_id: uuid.UUID, db: DbSession, caller: Caller) -> ReviewResult:
    incident, _ = incident_in_scope(db, caller, incident_id, write=False)
    return _result(db, incident)
