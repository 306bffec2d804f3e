"""What a station's camera agent needs besides observations: the candidate's templates for
matching on the station, and heartbeats."""

from __future__ import annotations

import uuid
from datetime import datetime

import numpy as np
from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from proctor.access.tokens import Principal, Role
from proctor.api.deps import Bearer, Caller, Context, DbSession, as_station
from proctor.api.schemas import Strict
from proctor.api.scoping import station_in_scope
from proctor.audit.data_reads import DataKind, Purpose, Read, record_read
from proctor.clock import utcnow
from proctor.errors import ConflictError, ErrorCode
from proctor.exam.attempts import AttemptState
from proctor.exam.policy import CameraState
from proctor.exam.stations import current_attempt, record_heartbeat
from proctor.faces.enrollment import stored_templates
from proctor.models.fused import template_for

router = APIRouter(tags=["agent"])
SERVES_TEMPLATES = (AttemptState.CHECKED_IN, AttemptState.IN_PROGRESS, AttemptState.PAUSED)


class StationTemplates(BaseModel):
    attempt_id: uuid.UUID
    participant_number: str
    engine: str
    threshold: float
    templates: list[list[float]]


class Heartbeat(Strict):
    camera: CameraState = CameraState.OK
    frames_captured: int = Field(0, ge=0)
    frames_dropped: int = Field(0, ge=0, description="Dropped because analysis was behind.")
    outbox: int = Field(0, ge=0, description="Observations waiting to be sent.")
    agent_version: str = Field("", max_length=40)


class HeartbeatAck(BaseModel):
    server_time: datetime


@router.get("/stations/{station_id}/templates", response_model=StationTemplates)
def station_templates(
    station_id: uuid.UUID, db: DbSession, caller: Caller, context: Context, response: Response
) -> StationTemplates:
    """The current candidate's templates in the station engine's form. Biometric data: the
    agent keeps them in memory only, and nothing caches this response."""
    caller.require(Role.STATION)
    station = station_in_scope(db, caller, station_id, write=False)
    attempt = current_attempt(db, station.id)
    if attempt is None or AttemptState(attempt.state) not in SERVES_TEMPLATES:
        raise ConflictError(
            "no candidate is checked in at this station", code=ErrorCode.ATTEMPT_NOT_ACTIVE
        )
    engine = context.settings.station_engine
    templates = [
        template_for(template, stored, engine)
        for stored, template in stored_templates(db, attempt.candidate_id)
    ]
    usable = [t for t in templates if t is not None]
    if not usable:
        raise ConflictError(
            f"the candidate has no template usable by the station engine {engine!r}",
            code=ErrorCode.NOT_ENROLLED,
        )
    read = Read(caller.actor, attempt.candidate_id, DataKind.TEMPLATES, Purpose.STATION_WATCH)
    record_read(db, read, attempt.id)
    db.commit()
    response.headers["Cache-Control"] = "no-store"
    return StationTemplates(
        attempt_id=attempt.id,
        participant_number=attempt.candidate.participant_number,
        engine=engine,
        threshold=context.station_threshold,
        templates=[np.asarray(t, dtype=np.float64).round(7).tolist() for t in usable],
    )


@router.post("/stations/{station_id}/heartbeat", response_model=HeartbeatAck)
async def heartbeat(
    station_id: uuid.UUID, body: Heartbeat, context: Context, credentials: Bearer
) -> HeartbeatAck:
    # Every station every 10 s: one trip to the thread pool, like the observations.
    def beat(db: Session, caller: Principal) -> HeartbeatAck:
        with context.station_write(db):
            station = station_in_scope(db, caller, station_id, write=True)
            now = utcnow()
            record_heartbeat(db, station.id, body.model_dump(mode="json"), now)
            db.commit()
        return HeartbeatAck(server_time=now)

    return await as_station(context, credentials, beat)
