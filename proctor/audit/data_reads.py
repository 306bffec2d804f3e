"""Every read of a candidate's biometric data (a photo, a snapshot, the templates) by a person
or a station, as an audit record that names who, what and why; the committee lists them per
candidate. Recorded in the reader's own transaction, before the data leaves the service."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from proctor.audit import browse, trail
from proctor.audit.browse import RecordFilter
from proctor.store.audit import AuditRecord

ACTION = "biometric.read"


class DataKind(StrEnum):
    REGISTRATION_PHOTO = "registration_photo"
    CHECKPOINT_PHOTO = "checkpoint_photo"
    EVIDENCE_IMAGE = "evidence_image"
    LIVE_PICTURE = "live_picture"
    TEMPLATES = "templates"
    SUBJECT_EXPORT = "subject_export"


class Purpose(StrEnum):
    """The page or endpoint a read serves (stored as these words; the console labels them)."""

    API_REGISTRATION_PHOTO = "api: registration photo"
    API_CHECKPOINT_PHOTO = "api: checkpoint photo"
    API_INCIDENT_EVIDENCE = "api: incident evidence"
    CONSOLE_INCIDENT = "console: incident page"
    CONSOLE_DESK = "console: station desk and grid"
    CONSOLE_GRID = "console: station grid"
    STATION_WATCH = "station: exam watch"
    SUBJECT_REQUEST = "data-subject request"


@dataclass(frozen=True)
class Read:
    """Who reads which kind of a candidate's data, and through which page or endpoint."""

    actor: str
    candidate_id: uuid.UUID
    kind: DataKind
    purpose: Purpose


def record_read(session: Session, read: Read, item_id: uuid.UUID | str) -> None:
    trail.record(
        session,
        actor=read.actor,
        action=ACTION,
        subject_type="candidate",
        subject_id=read.candidate_id,
        kind=str(read.kind),
        item_id=str(item_id),
        purpose=str(read.purpose),
    )


def reads_of(session: Session, candidate_id: uuid.UUID, limit: int = 500) -> list[AuditRecord]:
    """The reads of one candidate's data, newest first (the console's audit page lists the same
    with `?action=biometric.read&subject=<candidate id>`)."""
    return browse.newest(session, RecordFilter(action=ACTION, subject=str(candidate_id)), limit)
