"""A data-subject request: everything the service holds about one candidate (records and the
images, opened), written to a folder for the officer who answers the request, and audited."""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import Session

from proctor.audit.data_reads import DataKind, Purpose, Read, reads_of, record_read
from proctor.blobs import blob_bytes
from proctor.clock import utcnow
from proctor.errors import ConflictError, ErrorCode, NotFoundError
from proctor.store.evidence import AttemptFlag, Checkpoint, Incident, IncidentEvidence, Observation
from proctor.store.exam import Attempt, Blob, Candidate, DuplicateFace, RegistrationPhoto
from proctor.store.identity import WatchlistHit

# Columns never written: sealed bytes and their keys, digests that only match, the NIK's hash.
LEFT_OUT = {"template", "template_key", "data", "sealed_key", "nik_hash", "payload_sha256"}
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png"}
NOTE = (
    "Live pictures (checkpoint photos, snapshots) show whoever sat at the station, who may be "
    "another person (a suspected proxy): review them before handing the export over. Face "
    "templates are listed by engine and date; their numbers are not exported."
)


@dataclass(frozen=True)
class Exported:
    folder: Path
    images: int
    records: int


def export_subject(session: Session, participant_number: str, out: Path, *, actor: str) -> Exported:
    """Writes `out` (which must not exist) all at once; the export's audit record commits just
    before the folder takes its name, so there is never an export without its record."""
    if out.exists():
        raise ConflictError(
            f"{out} exists: an export never writes over", code=ErrorCode.ALREADY_EXISTS
        )
    candidate = session.scalar(
        select(Candidate).where(Candidate.participant_number == participant_number)
    )
    if candidate is None:
        raise NotFoundError(f"no candidate {participant_number}", code=ErrorCode.NOT_FOUND)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".subject-", dir=out.parent))
    try:
        writer = _Writer(session, staging)
        document = writer.document(candidate)
        document["exported_at"], document["exported_by"], document["note"] = (
            utcnow().isoformat(), actor, NOTE,
        )  # fmt: skip
        (staging / "subject.json").write_text(json.dumps(document, indent=2, ensure_ascii=False))
        read = Read(actor, candidate.id, DataKind.SUBJECT_EXPORT, Purpose.SUBJECT_REQUEST)
        record_read(session, read, candidate.id)
        session.commit()
        staging.rename(out)
    except BaseException:
        session.rollback()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Exported(out, writer.images, writer.records)


class _Writer:
    def __init__(self, session: Session, folder: Path) -> None:
        self.session, self.folder = session, folder
        self.images = self.records = 0

    def document(self, candidate: Candidate) -> dict[str, Any]:
        s = self.session
        photos = s.scalars(
            select(RegistrationPhoto).where(RegistrationPhoto.candidate_id == candidate.id)
        ).all()
        attempts = s.scalars(
            select(Attempt).where(Attempt.candidate_id == candidate.id).order_by(Attempt.created_at)
        ).all()
        duplicates = s.scalars(
            select(DuplicateFace).where(
                or_(DuplicateFace.candidate_id == candidate.id,
                    DuplicateFace.other_candidate_id == candidate.id)
            )
        ).all()  # fmt: skip
        return {
            "candidate": {**self.row(candidate), "nik_held": candidate.nik_hash is not None},
            "registration_photos": [
                {**self.with_image(p, p.blob_id), "template": {"engine": p.engine}} for p in photos
            ],
            "attempts": [self.attempt(a) for a in attempts],
            "duplicate_face_cases": [self.row(d) for d in duplicates],
            "biometric_reads": [
                {"at": r.at.isoformat(), "actor": r.actor, **r.details}
                for r in reads_of(s, candidate.id, limit=100_000)
            ],
        }

    def attempt(self, attempt: Attempt) -> dict[str, Any]:
        s, where = self.session, attempt.id
        checkpoints = s.scalars(select(Checkpoint).where(Checkpoint.attempt_id == where)).all()
        incidents = s.scalars(select(Incident).where(Incident.attempt_id == where)).all()
        flags = s.scalars(select(AttemptFlag).where(AttemptFlag.attempt_id == where)).all()
        hits = s.scalars(select(WatchlistHit).where(WatchlistHit.attempt_id == where)).all()
        return {
            **self.row(attempt),
            "checkpoints": [self.with_image(c, c.photo_blob_id) for c in checkpoints],
            "flags": [self.row(f) for f in flags],
            "incidents": [self.incident(i) for i in incidents],
            "watchlist_hits": [self.row(h) for h in hits],
            "observations": self.observations(attempt),
        }

    def incident(self, incident: Incident) -> dict[str, Any]:
        evidence = self.session.scalars(
            select(IncidentEvidence)
            .where(IncidentEvidence.incident_id == incident.id)
            .order_by(IncidentEvidence.position)
        ).all()
        return {**self.row(incident), "evidence": [self.with_image(e, e.blob_id) for e in evidence]}

    def observations(self, attempt: Attempt) -> str:
        """The attempt's observations as CSV (a file: an exam holds thousands), snapshots
        written beside it."""
        name = f"observations-{attempt.id}.csv"
        rows = self.session.scalars(
            select(Observation)
            .where(Observation.attempt_id == attempt.id)
            .order_by(Observation.seq)
        )
        with (self.folder / name).open("w", newline="") as handle:
            out = None
            for obs in rows:
                row = self.row(obs)
                if obs.snapshot_blob_id is not None:
                    row["snapshot"] = self.image(obs.snapshot_blob_id)
                if out is None:
                    fields = [*row] + ([] if "snapshot" in row else ["snapshot"])
                    out = csv.DictWriter(handle, fieldnames=fields)
                    out.writeheader()
                out.writerow(row)
        return name

    def row(self, record: Any) -> dict[str, Any]:
        self.records += 1
        return {
            c.key: _plain(getattr(record, c.key))
            for c in inspect(record).mapper.column_attrs
            if c.key not in LEFT_OUT
        }

    def with_image(self, record: Any, blob_id: uuid.UUID) -> dict[str, Any]:
        return {**self.row(record), "image": self.image(blob_id)}

    def image(self, blob_id: uuid.UUID) -> str:
        """The image's file in the export, or what became of it under the retention schedule."""
        blob = self.session.get(Blob, blob_id)
        if blob.purged_at is not None:
            return f"deleted under the retention schedule on {blob.purged_at.isoformat()}"
        name = f"images/{blob_id}{EXTENSIONS.get(blob.content_type, '.bin')}"
        path = self.folder / name
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(blob_bytes(self.session, blob))
            self.images += 1
        return name


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
