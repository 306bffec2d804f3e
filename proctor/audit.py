"""Audit records: every state change writes one, in the caller's transaction.

Details hold ids, codes, scores and reasons: never a face, an embedding or a NIK.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from proctor.store.audit import AuditRecord


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: uuid.UUID | str,
    **details: Any,
) -> AuditRecord:
    entry = AuditRecord(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=details,
    )
    session.add(entry)
    return entry
