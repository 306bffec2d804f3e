"""Response models shared by the attempt, station and incident routes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from proctor.api.schemas import Public
from proctor.exam.stations import AttemptStatus
from proctor.store.evidence import Checkpoint


class IncidentRef(BaseModel):
    id: uuid.UUID
    reason: str
    opened_at: datetime


class Notice(BaseModel):
    id: str
    en: str


class AttemptPublic(BaseModel):
    id: uuid.UUID
    candidate_id: uuid.UUID
    participant_number: str
    session_id: uuid.UUID
    station_id: uuid.UUID
    state: str
    started_at: datetime | None
    paused_at: datetime | None
    paused_seconds: float
    ended_at: datetime | None
    remaining_seconds: float | None
    open_incident: IncidentRef | None
    notice: Notice | None

    @classmethod
    def of(cls, status: AttemptStatus) -> AttemptPublic:
        a, incident, notice = status.attempt, status.open_incident, status.notice
        return cls(
            id=a.id,
            candidate_id=a.candidate_id,
            participant_number=a.candidate.participant_number,
            session_id=a.session_id,
            station_id=a.station_id,
            state=a.state,
            started_at=a.started_at,
            paused_at=a.paused_at,
            paused_seconds=round(a.paused_seconds, 3),
            ended_at=a.ended_at,
            remaining_seconds=(
                None if status.remaining_seconds is None else round(status.remaining_seconds, 1)
            ),
            open_incident=(
                IncidentRef(id=incident.id, reason=incident.reason, opened_at=incident.opened_at)
                if incident
                else None
            ),
            notice=Notice(id=notice[0], en=notice[1]) if notice else None,
        )


class CheckpointPublic(Public):
    id: uuid.UUID
    kind: str
    engine: str
    score: float | None
    threshold: float
    decision: str
    quality: list[dict[str, Any]]
    actor: str
    created_at: datetime
    override_reason: str | None
    overridden_by: str | None
    overridden_at: datetime | None

    @classmethod
    def of(cls, checkpoint: Checkpoint) -> CheckpointPublic:
        return cls.model_validate(checkpoint)


class CheckpointResult(BaseModel):
    passed: bool
    checkpoint: CheckpointPublic
    attempt: AttemptPublic
