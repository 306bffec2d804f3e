"""The proctor's desk: check a candidate in with a live photo (the browser's camera or an
upload), re-verify a paused candidate, or resume on an in-person check with a reason."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from proctor.access.tokens import Role
from proctor.api.console.acts import back, commit_or_back
from proctor.api.console.auth import current_user, form_user
from proctor.api.console.identity_pages import venue_hits
from proctor.api.console.pages import render
from proctor.api.deps import Context, DbSession
from proctor.api.routes.attempts import run_photo_checkpoint
from proctor.api.routes.candidates import photo_response
from proctor.api.routes.reviews import CandidateSearch
from proctor.api.scoping import attempt_in_scope
from proctor.audit.data_reads import Purpose
from proctor.clock import utcnow
from proctor.errors import ErrorCode, ProctorError
from proctor.exam import attempts
from proctor.exam.attempts import AttemptState
from proctor.exam.checkpoints import CheckpointKind, resume_by_override
from proctor.exam.stations import attempt_status
from proctor.faces.enrollment import registration_photos
from proctor.store.evidence import Checkpoint

router = APIRouter(prefix="/console", include_in_schema=False)
STAFF = (Role.PROCTOR, Role.ADMIN)
AT_DESK = (AttemptState.SCHEDULED, AttemptState.PAUSED)
KINDS = {"check_in": CheckpointKind.CHECK_IN, "reverify": CheckpointKind.REVERIFY}


@router.get("/desk", response_class=HTMLResponse)
def desk(request: Request, db: DbSession, q: CandidateSearch = None) -> HTMLResponse:
    """Candidates waiting at the desk: to check in, or paused and waiting to be re-verified."""
    user = current_user(request, db)
    user.principal.require(*STAFF)
    venue_id = user.principal.venue_id if user.principal.role is Role.PROCTOR else None
    waiting = attempts.waiting_at_desk(db, AT_DESK, venue_id=venue_id, limit=500, search=q)
    hits = venue_hits(db, user.principal, venue_id)
    return render(request, "desk.html", user, attempts=waiting, hits=hits, q=q or "")


@router.get("/attempts/{attempt_id}", response_class=HTMLResponse)
def attempt_page(
    attempt_id: uuid.UUID,
    request: Request,
    db: DbSession,
    error: str | None = None,
    result: str | None = None,
    checkpoint: uuid.UUID | None = None,
) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*STAFF)
    attempt = attempt_in_scope(db, user.principal, attempt_id, write=False)
    photos = registration_photos(db, attempt.candidate_id)
    # What the live photo's problems were: for a retake, what the candidate should change.
    taken = db.get(Checkpoint, checkpoint) if checkpoint else None
    reasons = taken.quality if taken is not None and taken.attempt_id == attempt.id else []
    incident = attempt_status(db, attempt, utcnow()).open_incident  # the pause's, if paused
    return render(
        request, "attempt.html", user, attempt=attempt, photos=photos, error=error, result=result,
        reasons=reasons, zone=attempt.session.venue.time_zone, incident=incident,
    )  # fmt: skip


@router.get("/attempts/{attempt_id}/photos/{photo_id}")
def registration_photo(
    attempt_id: uuid.UUID, photo_id: uuid.UUID, request: Request, db: DbSession
) -> Response:
    """A registration photo, for the desk and the grid (the committee reads the grid too)."""
    user = current_user(request, db)
    user.principal.require(*STAFF, Role.COMMITTEE)
    attempt = attempt_in_scope(db, user.principal, attempt_id, write=False)
    purpose = Purpose.CONSOLE_DESK
    return photo_response(db, attempt.candidate_id, photo_id, user.principal.actor, purpose)


@router.post("/attempts/{attempt_id}/photo")
async def photo_checkpoint(
    attempt_id: uuid.UUID, request: Request, db: DbSession, context: Context
) -> Response:
    """Check-in or re-verification with a live photo, through the API's own code path."""
    user, _ = await form_user(request, db)
    user.principal.require(*STAFF)
    form = await request.form()
    page = f"/console/attempts/{attempt_id}"
    kind, photo = KINDS.get(str(form.get("kind"))), form.get("photo")
    if kind is None or not isinstance(photo, UploadFile):
        return back(page, ProctorError("a photo is needed", code=ErrorCode.REQUEST_INVALID))
    try:
        outcome = run_photo_checkpoint(db, context, user.principal, attempt_id, kind, photo)
    except ProctorError as exc:
        db.rollback()
        return back(page, exc)
    taken = outcome.checkpoint
    location = f"{page}?result={taken.decision}&checkpoint={taken.id}"
    return Response(status_code=303, headers={"Location": location})


@router.post("/attempts/{attempt_id}/resume")
async def resume(attempt_id: uuid.UUID, request: Request, db: DbSession) -> Response:
    user, form = await form_user(request, db)
    user.principal.require(*STAFF)
    page = f"/console/attempts/{attempt_id}"

    def resume_attempt() -> None:
        attempt = attempt_in_scope(db, user.principal, attempt_id, write=True, lock=True)
        resume_by_override(db, attempt, actor=user.principal.actor, reason=form.get("reason", ""))

    return commit_or_back(db, page, resume_attempt)
