"""Serving stored images: personal data, opened from their sealed form for an authorised caller
only, each read recorded in the audit log, and never cached by shared caches."""

from __future__ import annotations

from fastapi.responses import Response
from sqlalchemy.orm import Session

from proctor.audit.data_reads import Read, record_read
from proctor.blobs import blob_bytes
from proctor.store.exam import Blob


def private_image(db: Session, blob: Blob, read: Read) -> Response:
    data = blob_bytes(db, blob)  # a value that does not open is refused before any record
    record_read(db, read, blob.id)
    db.commit()
    return Response(
        data,
        media_type=blob.content_type,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
