"""Registration photos become enrolled templates, after the quality gate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.blobs import store_blob
from proctor.errors import ConflictError, ErrorCode, RejectedInputError
from proctor.faces.photos import PhotoReading
from proctor.identity.registry import Registry
from proctor.sealing.columns import REGISTRATION_TEMPLATES
from proctor.store.exam import Candidate, DuplicateFace, RegistrationPhoto

MAX_PHOTOS = 3  # the national registration collects one to three


@dataclass
class Enrollment:
    photo: RegistrationPhoto
    created: bool
    duplicates: list[DuplicateFace] = field(default_factory=list)


def enroll_photo(
    session: Session,
    candidate: Candidate,
    reading: PhotoReading,
    *,
    actor: str,
    registry: Registry | None,
) -> Enrollment:
    """Enroll one registration photo. The same file twice is recognised and not stored again.
    With a `registry` (the API and the import always pass one), the face is searched in it at
    its 1:N threshold and each other candidate found is flagged as a duplicate enrolment.

    Raises `photo_rejected` (with the quality reasons) or `photo_limit_reached`.
    """
    if registry is not None and registry.engine.name != reading.engine:
        raise ValueError(f"a {reading.engine} photo is searched among {registry.engine.name}")
    existing = session.scalar(
        select(RegistrationPhoto).where(
            RegistrationPhoto.candidate_id == candidate.id,
            RegistrationPhoto.source_sha256 == reading.sha256,
        )
    )
    if existing is not None:
        return Enrollment(existing, created=False)
    if reading.embedding is None or not reading.quality.acceptable:
        raise RejectedInputError(
            "the photo failed the registration quality gate",
            code=ErrorCode.PHOTO_REJECTED,
            reasons=[r.to_dict() for r in reading.quality.reasons],
        )
    count = session.scalar(
        select(func.count())
        .select_from(RegistrationPhoto)
        .where(RegistrationPhoto.candidate_id == candidate.id)
    )
    if (count or 0) >= MAX_PHOTOS:
        raise ConflictError(
            f"a candidate has at most {MAX_PHOTOS} registration photos",
            code=ErrorCode.PHOTO_LIMIT_REACHED,
        )
    blob = store_blob(session, reading.data, reading.content_type)
    photo_id = uuid.uuid4()
    photo = RegistrationPhoto(
        id=photo_id,
        candidate_id=candidate.id,
        blob_id=blob.id,
        source_sha256=reading.sha256,
        engine=reading.engine,
        **REGISTRATION_TEMPLATES.seal_template(session, photo_id, reading.embedding),
        quality=[r.to_dict() for r in reading.quality.reasons],
    )
    session.add(photo)
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="candidate.photo_enrolled",
        subject_type="candidate",
        subject_id=candidate.id,
        photo_id=str(photo.id),
        engine=reading.engine,
        quality_codes=reading.quality.codes,
    )
    if registry is None:
        return Enrollment(photo, created=True)
    duplicates = _flag_duplicates(session, candidate, reading.embedding, registry, actor=actor)
    # Searchable at once in this process; others read it after the commit.
    registry.add(photo, reading.embedding)
    return Enrollment(photo, created=True, duplicates=duplicates)


def _flag_duplicates(
    session: Session, candidate: Candidate, embedding: np.ndarray, registry: Registry, *, actor: str
) -> list[DuplicateFace]:
    """Flag other participant numbers whose enrolled face this one matches in a 1:N search."""
    engine = registry.engine
    flagged: list[DuplicateFace] = []
    for hit in registry.search(session, embedding, exclude=candidate.id):
        other_id, score = hit.candidate_id, hit.score
        pair = (min(candidate.id, other_id), max(candidate.id, other_id))
        known = session.scalar(
            select(DuplicateFace).where(
                DuplicateFace.candidate_id == pair[0], DuplicateFace.other_candidate_id == pair[1]
            )
        )
        if known is not None:
            continue
        flag = DuplicateFace(
            candidate_id=pair[0], other_candidate_id=pair[1], score=score, engine=engine.name
        )
        session.add(flag)
        session.flush()
        trail.record(
            session,
            actor=actor,
            action="candidate.duplicate_face",
            subject_type="candidate",
            subject_id=candidate.id,
            other_candidate_id=str(other_id),
            score=round(score, 4),
            engine=engine.name,
        )
        flagged.append(flag)
    return flagged


def templates_of(session: Session, candidate_id: uuid.UUID, engine: str) -> list[np.ndarray]:
    return [
        template for kept, template in stored_templates(session, candidate_id) if kept == engine
    ]


def registration_photos(session: Session, candidate_id: uuid.UUID) -> list[RegistrationPhoto]:
    query = select(RegistrationPhoto).where(RegistrationPhoto.candidate_id == candidate_id)
    return list(session.scalars(query.order_by(RegistrationPhoto.created_at)))


def photo_count(session: Session, candidate_id: uuid.UUID) -> int:
    query = select(func.count()).select_from(RegistrationPhoto)
    return session.scalar(query.where(RegistrationPhoto.candidate_id == candidate_id)) or 0


def stored_templates(session: Session, candidate_id: uuid.UUID) -> list[tuple[str, np.ndarray]]:
    """Every template of the candidate, opened, with the engine that made it."""
    rows = session.execute(
        select(
            RegistrationPhoto.id,
            RegistrationPhoto.engine,
            RegistrationPhoto.template,
            RegistrationPhoto.template_key,
        ).where(RegistrationPhoto.candidate_id == candidate_id)
    ).all()
    return [
        (engine, REGISTRATION_TEMPLATES.open_template(session, row_id, data, key))
        for row_id, engine, data, key in rows
    ]
