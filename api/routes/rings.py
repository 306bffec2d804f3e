"""Joki rings for the committee: one proxy face across incidents, candidates and venues."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from proctor.access.tokens import Role
from proctor.api.deps import Caller, Context, DbSession
from proctor.identity import rings
from proctor.identity.rings import Ring

router = APIRouter(tags=["rings"])


class RingIncidentPublic(BaseModel):
    incident_id: uuid.UUID
    opened_at: datetime
    status: str
    candidate_id: uuid.UUID
    participant_number: str
    venue_code: str
    venue_name: str
    station_code: str
    session_code: str
    faces: int


class RingLinkPublic(BaseModel):
    incident_id: uuid.UUID
    other_incident_id: uuid.UUID
    score: float


class EnrolledProxyPublic(BaseModel):
    candidate_id: uuid.UUID
    participant_number: str
    incident_id: uuid.UUID
    score: float


class RingPublic(BaseModel):
    id: uuid.UUID
    threshold: float
    participant_numbers: list[str]  # the candidates the proxy sat for
    venues: list[str]
    first_at: datetime
    last_at: datetime
    incidents: list[RingIncidentPublic]
    links: list[RingLinkPublic]
    enrolled: list[EnrolledProxyPublic]  # enrolled candidates whose face is the proxy's


def ring_public(ring: Ring, threshold: float) -> RingPublic:
    return RingPublic(
        id=ring.id,
        threshold=threshold,
        participant_numbers=ring.participant_numbers,
        venues=ring.venues,
        first_at=ring.first_at,
        last_at=ring.last_at,
        incidents=[
            RingIncidentPublic(**{**vars(i), "faces": len(i.faces)}) for i in ring.incidents
        ],
        links=[RingLinkPublic(**vars(link)) for link in ring.links],
        enrolled=[EnrolledProxyPublic(**vars(p)) for p in ring.enrolled],
    )


@router.get("/rings", response_model=list[RingPublic])
def list_rings(db: DbSession, caller: Caller, context: Context) -> list[RingPublic]:
    """Every ring, the largest first: the incidents, whom the proxy sat for, where and when,
    the face scores that link them, and any enrolled candidate whose face is the proxy's."""
    caller.require(Role.ADMIN, Role.COMMITTEE)
    registry = context.registry()
    found = rings.find(db, registry.engine, registry.threshold)
    return [ring_public(r, registry.threshold) for r in found]
