"""Incidents filed by pauses, with their evidence (served to authorised callers only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field

from proctor.access.tokens import Principal, Role
from proctor.api.deps import Caller, DbSession
from proctor.api.images import private_image
from proctor.audit.data_reads import DataKind, Purpose, Read
from proctor.errors import ErrorCode, NotFoundError
from proctor.exam import catalog, incidents
from proctor.identity import proxies
from proctor.store.evidence import Incident, IncidentEvidence
from proctor.store.exam import Attempt, Blob

router = APIRouter(tags=["incidents"])
READERS = (Role.ADMIN, Role.COMMITTEE, Role.PROCTOR)


class EvidencePublic(BaseModel):
    id: uuid.UUID
    kind: str
    content_type: str
    observation_id: uuid.UUID | None
    checkpoint_id: uuid.UUID | None


class IncidentPublic(BaseModel):
    id: uuid.UUID
    attempt_id: uuid.UUID
    station_id: uuid.UUID
    venue_id: uuid.UUID
    participant_number: str
    reason: str
    status: str
    opened_at: datetime


class ProxyCandidate(BaseModel):
    candidate_id: uuid.UUID
    participant_number: str
    score: float


class ProxySearchPublic(BaseModel):
    """Face mismatch only: the live faces searched against every enrolled candidate."""

    searched_at: datetime
    engine: str
    threshold: float
    faces: int
    candidates: list[ProxyCandidate]


class IncidentDetail(IncidentPublic):
    details: dict[str, Any]
    evidence: list[EvidencePublic]
    proxy_search: ProxySearchPublic | None = Field(
        None, description="Null until the service has searched (a few seconds after filing)."
    )


def _summary(incident: Incident, attempt: Attempt) -> dict[str, Any]:
    return {
        "id": incident.id,
        "attempt_id": attempt.id,
        "station_id": attempt.station_id,
        "venue_id": attempt.station.venue_id,
        "participant_number": attempt.candidate.participant_number,
        "reason": incident.reason,
        "status": incident.status,
        "opened_at": incident.opened_at,
    }


def _incident_in_scope(db: DbSession, caller: Principal, incident_id: uuid.UUID) -> Incident:
    caller.require(*READERS)
    incident = catalog.get(db, Incident, incident_id, "incident")
    attempt = catalog.get(db, Attempt, incident.attempt_id, "attempt")
    caller.check_venue(attempt.station.venue_id, write=False)
    return incident


@router.get("/incidents", response_model=list[IncidentPublic])
def list_incidents(
    db: DbSession,
    caller: Caller,
    venue_id: uuid.UUID | None = None,
    status: str | None = None,
    limit: int = 200,
) -> list[IncidentPublic]:
    caller.require(*READERS)
    if caller.role is Role.PROCTOR:
        if venue_id is not None:
            caller.check_venue(venue_id, write=False)
        venue_id = caller.venue_id
    found = incidents.find(db, venue_id=venue_id, status=status, limit=min(max(limit, 1), 1000))
    return [IncidentPublic(**_summary(i, a)) for i, a in found]


@router.get("/incidents/{incident_id}", response_model=IncidentDetail)
def get_incident(incident_id: uuid.UUID, db: DbSession, caller: Caller) -> IncidentDetail:
    incident = _incident_in_scope(db, caller, incident_id)
    attempt = catalog.get(db, Attempt, incident.attempt_id, "attempt")
    types = incidents.evidence_content_types(db, incident)
    evidence = [
        EvidencePublic(
            id=e.id,
            kind=e.kind,
            content_type=types.get(e.blob_id, "application/octet-stream"),
            observation_id=e.observation_id,
            checkpoint_id=e.checkpoint_id,
        )
        for e in incident.evidence
    ]
    searched = proxies.result(db, incident.id)
    proxy_search = None
    if searched is not None:
        proxy_search = ProxySearchPublic(
            searched_at=searched.created_at, engine=searched.engine,
            threshold=searched.threshold, faces=searched.faces,
            candidates=[ProxyCandidate(**hit) for hit in searched.hits],
        )  # fmt: skip
    return IncidentDetail(
        **_summary(incident, attempt), details=incident.details, evidence=evidence,
        proxy_search=proxy_search,
    )  # fmt: skip


@router.get(
    "/incidents/{incident_id}/evidence/{evidence_id}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
def evidence_image(
    incident_id: uuid.UUID, evidence_id: uuid.UUID, db: DbSession, caller: Caller
) -> Response:
    incident = _incident_in_scope(db, caller, incident_id)
    return evidence_response(db, incident, evidence_id, caller.actor, Purpose.API_INCIDENT_EVIDENCE)


def evidence_response(
    db: DbSession, incident: Incident, evidence_id: uuid.UUID, actor: str, purpose: Purpose
) -> Response:
    """One of the incident's evidence images, privately (the caller has checked the scope); the
    read is recorded against the candidate of the incident's attempt."""
    item = db.get(IncidentEvidence, evidence_id)
    if item is None or item.incident_id != incident.id:
        raise NotFoundError(f"no evidence {evidence_id} in this incident", code=ErrorCode.NOT_FOUND)
    attempt = catalog.get(db, Attempt, incident.attempt_id, "attempt")
    kind = (
        DataKind.REGISTRATION_PHOTO
        if item.kind == "registration_photo"
        else DataKind.EVIDENCE_IMAGE
    )
    read = Read(actor, attempt.candidate_id, kind, purpose)
    return private_image(db, catalog.get(db, Blob, item.blob_id, "image"), read)
