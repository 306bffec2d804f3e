"""Observations posted by a station's camera agent, in batches, idempotent per sequence number."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter
from pydantic import (
    AwareDatetime,
    Base64Bytes,
    BaseModel,
    Field,
    StringConstraints,
    field_validator,
)
from sqlalchemy.orm import Session

from proctor.access.tokens import Principal
from proctor.api.context import ServiceContext
from proctor.api.deps import Bearer, Context, as_station
from proctor.api.schemas import Strict
from proctor.api.scoping import attempt_in_scope, station_in_scope
from proctor.clock import utcnow
from proctor.errors import ErrorCode, InputImageError, ProctorError, RejectedInputError
from proctor.exam.observations import ObservationIn, ingest
from proctor.exam.policy import CameraState
from proctor.faces.photos import sniff_content_type
from proctor.faces.quality import LIVE_PROBLEMS, QualityCode
from proctor.models.imaging import decode_image

router = APIRouter(tags=["observations"])
MAX_CLOCK_SKEW = timedelta(minutes=5)
FlagName = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[a-z_]+$")]


class ObservationBody(Strict):
    seq: int = Field(ge=0, le=2**31 - 1, description="Per-station sequence number.")
    observed_at: AwareDatetime
    face_count: int = Field(ge=0, le=50)
    score: float | None = Field(
        None, ge=-1e3, le=1e3, allow_inf_nan=False, description="Best match to the templates."
    )
    camera: CameraState = CameraState.OK
    liveness_flags: list[FlagName] = Field(default_factory=list, max_length=10)
    face_problems: list[QualityCode] = Field(
        default_factory=list,
        max_length=len(LIVE_PROBLEMS),
        description="What made the face hard to match (turned, hidden, dark, blurred...): with "
        "a score below the threshold, the observation is uncertain, not a mismatch, unless "
        "the problems are faults of the picture only (blurred, dark...) and the score is below "
        "the policy's fault_excuse_level.",
    )
    snapshot_jpeg: Base64Bytes | None = Field(
        None, description="Base64 JPEG, sent with anomalous observations only."
    )

    @field_validator("face_problems")
    @classmethod
    def _live_problems_only(cls, problems: list[QualityCode]) -> list[QualityCode]:
        if unknown := [str(p) for p in problems if p not in LIVE_PROBLEMS]:
            raise ValueError(f"not a problem of a live face: {', '.join(unknown)}")
        return problems


class ObservationBatch(Strict):
    attempt_id: uuid.UUID
    observations: list[ObservationBody] = Field(min_length=1)


class BatchResult(BaseModel):
    accepted: int
    duplicates: int
    state: str
    flags: list[str]
    incident_id: uuid.UUID | None


def _snapshot(data: bytes | None, limit: int, seq: int) -> bytes | None:
    if data is None:
        return None
    if len(data) > limit:
        raise ProctorError(
            f"snapshot of observation {seq} is larger than {limit} bytes",
            code=ErrorCode.UPLOAD_TOO_LARGE,
            seq=seq,
        )
    if sniff_content_type(data) != "image/jpeg":
        raise InputImageError(
            f"snapshot of observation {seq} is not a JPEG",
            code=ErrorCode.IMAGE_UNSUPPORTED,
            seq=seq,
        )
    decode_image(data)  # a truncated or corrupt JPEG is refused with its image_* code
    return data


@router.post("/stations/{station_id}/observations", response_model=BatchResult)
async def post_observations(
    station_id: uuid.UUID, batch: ObservationBatch, context: Context, credentials: Bearer
) -> BatchResult:
    # The busiest route: authenticated, checked and stored in one trip to the thread pool.
    def receive(db: Session, caller: Principal) -> BatchResult:
        items = _items(context, batch)
        with context.station_write(db):
            return _store(db, caller, context, station_id, batch.attempt_id, items)

    return await as_station(context, credentials, receive)


def _items(context: ServiceContext, batch: ObservationBatch) -> list[ObservationIn]:
    settings = context.settings
    if len(batch.observations) > settings.max_batch:
        raise RejectedInputError(
            f"at most {settings.max_batch} observations per batch",
            code=ErrorCode.REQUEST_INVALID,
        )
    latest_allowed = utcnow() + MAX_CLOCK_SKEW
    items = []
    for body in batch.observations:
        if body.observed_at > latest_allowed:
            raise RejectedInputError(
                f"observation {body.seq} is dated in the future; check the station clock",
                code=ErrorCode.REQUEST_INVALID,
                seq=body.seq,
            )
        items.append(
            ObservationIn(
                seq=body.seq,
                observed_at=body.observed_at,
                face_count=body.face_count,
                score=body.score,
                camera=body.camera,
                liveness_flags=tuple(body.liveness_flags),
                face_problems=tuple(str(p) for p in body.face_problems),
                snapshot=_snapshot(body.snapshot_jpeg, settings.max_snapshot_bytes, body.seq),
            )
        )
    return items


def _store(
    db: Session,
    caller: Principal,
    context: ServiceContext,
    station_id: uuid.UUID,
    attempt_id: uuid.UUID,
    items: list[ObservationIn],
) -> BatchResult:
    """The batch stored and judged, one transaction."""
    settings = context.settings
    station = station_in_scope(db, caller, station_id, write=True)
    attempt = attempt_in_scope(db, caller, attempt_id, write=True, lock=True)
    result = ingest(
        db,
        station,
        attempt,
        items,
        policy=settings.policy,
        threshold=context.station_threshold,
        fault_floor=context.station_fault_floor,
        actor=caller.actor,
    )
    db.commit()
    return BatchResult(
        accepted=result.accepted,
        duplicates=result.duplicates,
        state=attempt.state,
        flags=result.flags,
        incident_id=result.incident_id,
    )
