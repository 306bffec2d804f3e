"""Images kept as evidence or registration material, stored sealed in the database so that a
record and its evidence commit together, and a copy of the database shows no face."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy.orm import Session

from proctor.errors import ErrorCode, NotFoundError
from proctor.faces.photos import sniff_content_type
from proctor.sealing.columns import IMAGES
from proctor.store.exam import Blob


def store_blob(session: Session, data: bytes, content_type: str | None = None) -> Blob:
    blob_id = uuid.uuid4()
    blob = Blob(
        id=blob_id,
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type or sniff_content_type(data),
        size=len(data),
        **IMAGES.seal(session, blob_id, data),
    )
    session.add(blob)
    session.flush()
    return blob


def blob_bytes(session: Session, blob: Blob) -> bytes:
    """The image a stored blob holds, opened; `data_purged` once the retention schedule has
    deleted it."""
    if blob.purged_at is not None:
        raise NotFoundError(
            "this image was deleted under the retention schedule",
            code=ErrorCode.DATA_PURGED,
            purged_at=blob.purged_at.isoformat(),
        )
    return IMAGES.open(session, blob.id, blob.data, blob.sealed_key)
