"""Images kept as evidence or registration material, stored in the database so that a record
and its evidence commit together."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from proctor.faces.photos import sniff_content_type
from proctor.store.exam import Blob


def store_blob(session: Session, data: bytes, content_type: str | None = None) -> Blob:
    blob = Blob(
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type or sniff_content_type(data),
        size=len(data),
        data=data,
    )
    session.add(blob)
    session.flush()
    return blob
