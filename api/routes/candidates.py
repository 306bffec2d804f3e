"""Candidates and their registration photos."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import Field

from proctor.access.tokens import Role
from proctor.api.deps import Caller, Context, DbSession
from proctor.api.images import private_image
from proctor.api.schemas import Code, Name, Public, Strict
from proctor.api.uploads import PhotoUpload, read_capped
from proctor.audit.data_reads import DataKind, Purpose, Read, reads_of
from proctor.errors import ErrorCode, NotFoundError
from proctor.exam import catalog
from proctor.faces.enrollment import enroll_photo, photo_count
from proctor.store.exam import Blob, Candidate, RegistrationPhoto

router = APIRouter(tags=["candidates"])


class CandidateCreate(Strict):
    participant_number: Code
    name: Name
    nik: str | None = Field(None, description="16 digits; stored only as a keyed hash.")
    formation: str = Field("", max_length=200)


class CandidatePublic(Public):
    id: uuid.UUID
    participant_number: str
    name: str
    formation: str
    nik_recorded: bool
    photo_count: int
    created_at: datetime


class PhotoPublic(Public):
    id: uuid.UUID
    engine: str
    quality: list[dict[str, Any]]
    created_at: datetime


class DataReadPublic(Public):
    """One read of the candidate's biometric data: who, when, what and through which page or
    endpoint."""

    at: datetime
    actor: str
    kind: DataKind
    item_id: str
    purpose: Purpose


class DuplicatePublic(Public):
    candidate_id: uuid.UUID
    participant_number: str
    score: float


class EnrollmentPublic(Public):
    photo: PhotoPublic
    created: bool
    duplicates: list[DuplicatePublic]


def _public(candidate: Candidate, photo_count: int) -> CandidatePublic:
    return CandidatePublic(
        id=candidate.id,
        participant_number=candidate.participant_number,
        name=candidate.name,
        formation=candidate.formation,
        nik_recorded=candidate.nik_hash is not None,
        photo_count=photo_count,
        created_at=candidate.created_at,
    )


def _photo_count(db: DbSession, candidate_id: uuid.UUID) -> int:
    return photo_count(db, candidate_id)


@router.post("/candidates", status_code=201, response_model=CandidatePublic)
def create_candidate(
    body: CandidateCreate, db: DbSession, caller: Caller, context: Context
) -> CandidatePublic:
    caller.require(Role.ADMIN)
    candidate, _ = catalog.upsert_candidate(
        db, **body.model_dump(), nik_key=context.nik_key, actor=caller.actor
    )
    db.commit()
    return _public(candidate, 0)


@router.get("/candidates", response_model=list[CandidatePublic])
def list_candidates(
    db: DbSession, caller: Caller, offset: int = 0, limit: int = 100
) -> list[CandidatePublic]:
    caller.require(Role.ADMIN, Role.COMMITTEE)
    rows = catalog.candidates(db, offset=max(offset, 0), limit=min(max(limit, 1), 1000))
    return [_public(c, n) for c, n in rows]


@router.get("/candidates/{candidate_id}", response_model=CandidatePublic)
def get_candidate(candidate_id: uuid.UUID, db: DbSession, caller: Caller) -> CandidatePublic:
    caller.require(Role.ADMIN, Role.COMMITTEE)
    candidate = catalog.get(db, Candidate, candidate_id, "candidate")
    return _public(candidate, _photo_count(db, candidate.id))


@router.post("/candidates/{candidate_id}/photos", status_code=201, response_model=EnrollmentPublic)
def upload_photo(
    candidate_id: uuid.UUID,
    db: DbSession,
    caller: Caller,
    context: Context,
    photo: PhotoUpload,
) -> EnrollmentPublic:
    caller.require(Role.ADMIN)
    candidate = catalog.get(db, Candidate, candidate_id, "candidate")
    reading = context.reader.read(read_capped(photo, context.settings.max_upload_bytes))
    enrollment = enroll_photo(
        db, candidate, reading, actor=caller.actor, registry=context.registry()
    )
    db.commit()
    duplicates = []
    for flag in enrollment.duplicates:
        other_id = (
            flag.other_candidate_id if flag.candidate_id == candidate.id else flag.candidate_id
        )
        other = catalog.get(db, Candidate, other_id, "candidate")
        duplicates.append(
            DuplicatePublic(
                candidate_id=other.id, participant_number=other.participant_number, score=flag.score
            )
        )
    return EnrollmentPublic(
        photo=PhotoPublic.model_validate(enrollment.photo),
        created=enrollment.created,
        duplicates=duplicates,
    )


@router.get("/candidates/{candidate_id}/photos", response_model=list[PhotoPublic])
def list_photos(candidate_id: uuid.UUID, db: DbSession, caller: Caller) -> list[RegistrationPhoto]:
    caller.require(Role.ADMIN, Role.COMMITTEE)
    candidate = catalog.get(db, Candidate, candidate_id, "candidate")
    return list(candidate.photos)


@router.get(
    "/candidates/{candidate_id}/photos/{photo_id}/image",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
def photo_image(
    candidate_id: uuid.UUID, photo_id: uuid.UUID, db: DbSession, caller: Caller
) -> Response:
    caller.require(Role.ADMIN, Role.COMMITTEE)
    return photo_response(db, candidate_id, photo_id, caller.actor, Purpose.API_REGISTRATION_PHOTO)


def photo_response(
    db: DbSession, candidate_id: uuid.UUID, photo_id: uuid.UUID, actor: str, purpose: Purpose
) -> Response:
    """One of the candidate's registration photos, privately (the caller checked access); the
    read is recorded with `purpose`, the page or endpoint it serves."""
    photo = db.get(RegistrationPhoto, photo_id)
    if photo is None or photo.candidate_id != candidate_id:
        raise NotFoundError(f"no photo {photo_id} of this candidate", code=ErrorCode.NOT_FOUND)
    read = Read(actor, candidate_id, DataKind.REGISTRATION_PHOTO, purpose)
    return private_image(db, catalog.get(db, Blob, photo.blob_id, "image"), read)


@router.get("/candidates/{candidate_id}/data-reads", response_model=list[DataReadPublic])
def data_reads(candidate_id: uuid.UUID, db: DbSession, caller: Caller) -> list[DataReadPublic]:
    """Every read of the candidate's photos, snapshots and templates, newest first (at most
    500): for the committee's audit and a data-subject request."""
    caller.require(Role.ADMIN, Role.COMMITTEE)
    catalog.get(db, Candidate, candidate_id, "candidate")
    return [
        DataReadPublic(
            at=r.at,
            actor=r.actor,
            kind=DataKind(r.details["kind"]),
            item_id=r.details["item_id"],
            purpose=r.details["purpose"],
        )
        for r in reads_of(db, candidate_id)
    ]
