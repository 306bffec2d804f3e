"""Serving stored images: personal data, opened from their sealed form for an authorised caller
only, each read recorded in the audit log, and never cached by shared caches."""

from __future__ import annotations

from fastapi.responses import Response
from sqlalchemy.orm import Session

from proctor.audit.data_reads import Read, record_read
from proctor.blobs import blob_bytes
from proctor.errors import ErrorCode, NotFoundError
from proctor.store.complaints import Complaint
from proctor.store.exam import Blob


def private_image(db: Session, blob: Blob, read: Read) -> Response:
    data = blob_bytes(db, blob)  # a value that does not open is refused before any record
    record_read(db, read, blob.id)
    db.commit()
    return _unshared(data, blob.content_type)


def slip_image(db: Session, case: Complaint) -> Response:
    """The photo of a complaint box slip (not biometric: no read record), uncached."""
    if case.slip_blob_id is None:
        raise NotFoundError("this complaint has no slip", code=ErrorCode.NOT_FOUND)
    blob = db.get(Blob, case.slip_blob_id)
    return _unshared(blob_bytes(db, blob), blob.content_type)


def _unshared(data: bytes, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
