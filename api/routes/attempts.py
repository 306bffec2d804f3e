"""Attempts: scheduling, the two checkpoints, overrides, re-verification, resume, terminate."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy.orm import Session

from proctor.access.tokens import Principal, Role
from proctor.api.deps import Caller, Context, DbSession
from proctor.api.images import private_image
from proctor.api.schemas import Public, Reason, Strict
from proctor.api.scoping import attempt_in_scope
from proctor.api.uploads import PhotoUpload, read_capped
from proctor.api.views import AttemptPublic, CheckpointPublic, CheckpointResult
from proctor.audit.data_reads import DataKind, Purpose, Read
from proctor.clock import utcnow
from proctor.errors import ConflictError, ErrorCode, NotFoundError
from proctor.exam import attempts, catalog, checkpoints
from proctor.exam.attempts import AttemptState, transition
from proctor.exam.checkpoints import (
    CheckpointKind,
    Decision,
    override_checkpoint,
    resume_by_override,
    run_checkpoint,
)
from proctor.exam.stations import attempt_status
from proctor.store.evidence import AttemptFlag, Checkpoint
from proctor.store.exam import Attempt, Blob

router = APIRouter(tags=["attempts"])
STAFF = (Role.ADMIN, Role.PROCTOR)


class AttemptCreate(Strict):
    candidate_id: uuid.UUID
    session_id: uuid.UUID
    station_id: uuid.UUID


class ReasonBody(Strict):
    reason: Reason


def _view(db: Session, attempt: Attempt) -> AttemptPublic:
    return AttemptPublic.of(attempt_status(db, attempt, utcnow()))


@router.post("/attempts", status_code=201, response_model=AttemptPublic)
def schedule(body: AttemptCreate, db: DbSession, caller: Caller) -> AttemptPublic:
    caller.require(Role.ADMIN)
    attempt = catalog.schedule_attempt(db, **body.model_dump(), actor=caller.actor)
    db.commit()
    return _view(db, attempt)


@router.get("/attempts", response_model=list[AttemptPublic])
def list_attempts(
    db: DbSession,
    caller: Caller,
    venue_id: uuid.UUID | None = None,
    session_id: uuid.UUID | None = None,
    state: AttemptState | None = None,
    limit: int = 200,
) -> list[AttemptPublic]:
    caller.require(Role.ADMIN, Role.COMMITTEE, Role.PROCTOR)
    if caller.role is Role.PROCTOR:
        if venue_id is not None:
            caller.check_venue(venue_id, write=False)
        venue_id = caller.venue_id
    found = attempts.find(
        db, venue_id=venue_id, session_id=session_id, state=state, limit=min(max(limit, 1), 1000)
    )
    return [_view(db, a) for a in found]


@router.get("/attempts/{attempt_id}", response_model=AttemptPublic)
def get_attempt(attempt_id: uuid.UUID, db: DbSession, caller: Caller) -> AttemptPublic:
    return _view(db, attempt_in_scope(db, caller, attempt_id, write=False))


@router.get("/attempts/{attempt_id}/checkpoints", response_model=list[CheckpointPublic])
def list_checkpoints(attempt_id: uuid.UUID, db: DbSession, caller: Caller) -> list[Checkpoint]:
    caller.require(Role.ADMIN, Role.COMMITTEE, Role.PROCTOR)
    attempt = attempt_in_scope(db, caller, attempt_id, write=False)
    return checkpoints.of_attempt(db, attempt.id)


@router.get(
    "/attempts/{attempt_id}/checkpoints/{checkpoint_id}/photo",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
def checkpoint_photo(
    attempt_id: uuid.UUID, checkpoint_id: uuid.UUID, db: DbSession, caller: Caller
) -> Response:
    """The live photo a checkpoint judged (personal data: staff of the venue and committee)."""
    caller.require(Role.ADMIN, Role.COMMITTEE, Role.PROCTOR)
    attempt = attempt_in_scope(db, caller, attempt_id, write=False)
    checkpoint = db.get(Checkpoint, checkpoint_id)
    if checkpoint is None or checkpoint.attempt_id != attempt.id:
        raise NotFoundError(
            f"no checkpoint {checkpoint_id} of this attempt", code=ErrorCode.NOT_FOUND
        )
    read = Read(
        caller.actor, attempt.candidate_id, DataKind.CHECKPOINT_PHOTO, Purpose.API_CHECKPOINT_PHOTO
    )
    return private_image(db, catalog.get(db, Blob, checkpoint.photo_blob_id, "image"), read)


class FlagPublic(Public):
    kind: str
    raised_at: datetime
    observation_id: uuid.UUID


@router.get("/attempts/{attempt_id}/flags", response_model=list[FlagPublic])
def list_flags(attempt_id: uuid.UUID, db: DbSession, caller: Caller) -> list[AttemptFlag]:
    """Conditions the policy noticed without (or before) pausing: absence, several faces..."""
    caller.require(Role.ADMIN, Role.COMMITTEE, Role.PROCTOR)
    attempt = attempt_in_scope(db, caller, attempt_id, write=False)
    return attempts.flags(db, attempt.id)


def run_photo_checkpoint(
    db: Session,
    context: Context,
    caller: Principal,
    attempt_id: uuid.UUID,
    kind: CheckpointKind,
    photo: PhotoUpload,
) -> CheckpointResult:
    attempt = attempt_in_scope(db, caller, attempt_id, write=True)
    # A corrupt upload is refused before anything is written; the row lock is taken after the
    # slow face reading, so it is held only for the writes.
    reading = context.reader.read(read_capped(photo, context.settings.max_upload_bytes))
    db.refresh(attempt, with_for_update=True)
    checkpoint = run_checkpoint(
        db,
        attempt,
        kind,
        reading,
        context.reader.engine,
        actor=caller.actor,
        watchlist=context.watchlist(),
    )
    db.commit()
    return CheckpointResult(
        passed=checkpoint.decision == Decision.MATCH,
        checkpoint=CheckpointPublic.of(checkpoint),
        attempt=_view(db, attempt),
    )


@router.post("/attempts/{attempt_id}/check-in", response_model=CheckpointResult)
def check_in(
    attempt_id: uuid.UUID, photo: PhotoUpload, db: DbSession, caller: Caller, context: Context
) -> CheckpointResult:
    """Checkpoint 1 at the venue desk: a live photo against the registration templates."""
    caller.require(*STAFF)
    return run_photo_checkpoint(db, context, caller, attempt_id, CheckpointKind.CHECK_IN, photo)


@router.post("/attempts/{attempt_id}/start", response_model=CheckpointResult)
def start(
    attempt_id: uuid.UUID, photo: PhotoUpload, db: DbSession, caller: Caller, context: Context
) -> CheckpointResult:
    """Checkpoint 2 at the station: the exam starts only on a match (or a proctor's override)."""
    caller.require(Role.STATION, *STAFF)
    return run_photo_checkpoint(
        db, context, caller, attempt_id, CheckpointKind.STATION_LOGIN, photo
    )


@router.post("/attempts/{attempt_id}/reverify", response_model=CheckpointResult)
def reverify(
    attempt_id: uuid.UUID, photo: PhotoUpload, db: DbSession, caller: Caller, context: Context
) -> CheckpointResult:
    """A proctor re-verifies a paused candidate with a new live photo; a match resumes."""
    caller.require(*STAFF)
    return run_photo_checkpoint(db, context, caller, attempt_id, CheckpointKind.REVERIFY, photo)


@router.post(
    "/attempts/{attempt_id}/checkpoints/{checkpoint_id}/override", response_model=AttemptPublic
)
def override(
    attempt_id: uuid.UUID,
    checkpoint_id: uuid.UUID,
    body: ReasonBody,
    db: DbSession,
    caller: Caller,
) -> AttemptPublic:
    """Let a failed checkpoint pass after a manual ID-card check; the reason is audited."""
    caller.require(*STAFF)
    attempt = attempt_in_scope(db, caller, attempt_id, write=True, lock=True)
    checkpoint = catalog.get(db, Checkpoint, checkpoint_id, "checkpoint")
    if checkpoint.attempt_id != attempt.id:
        raise ConflictError(
            "the checkpoint belongs to another attempt", code=ErrorCode.REQUEST_INVALID
        )
    override_checkpoint(db, attempt, checkpoint, actor=caller.actor, reason=body.reason)
    db.commit()
    return _view(db, attempt)


@router.post("/attempts/{attempt_id}/resume", response_model=AttemptPublic)
def resume(attempt_id: uuid.UUID, body: ReasonBody, db: DbSession, caller: Caller) -> AttemptPublic:
    """Resume a paused attempt on a proctor's in-person check (manual override, audited).
    With a live photo, use `reverify` instead."""
    caller.require(*STAFF)
    attempt = attempt_in_scope(db, caller, attempt_id, write=True, lock=True)
    resume_by_override(db, attempt, actor=caller.actor, reason=body.reason)
    db.commit()
    return _view(db, attempt)


@router.post("/attempts/{attempt_id}/terminate", response_model=AttemptPublic)
def terminate(
    attempt_id: uuid.UUID, body: ReasonBody, db: DbSession, caller: Caller
) -> AttemptPublic:
    caller.require(*STAFF)
    attempt = attempt_in_scope(db, caller, attempt_id, write=True, lock=True)
    transition(db, attempt, AttemptState.TERMINATED, actor=caller.actor, reason=body.reason)
    db.commit()
    return _view(db, attempt)


@router.post("/attempts/{attempt_id}/finish", response_model=AttemptPublic)
def finish(attempt_id: uuid.UUID, db: DbSession, caller: Caller) -> AttemptPublic:
    """The candidate submits, or the time is up."""
    caller.require(Role.STATION, *STAFF)
    attempt = attempt_in_scope(db, caller, attempt_id, write=True, lock=True)
    transition(db, attempt, AttemptState.FINISHED, actor=caller.actor, reason="finished")
    db.commit()
    return _view(db, attempt)
