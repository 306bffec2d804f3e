"""Audit records: every state change writes one, in the caller's transaction, chained to the
one before it (`proctor.audit.hashing`).

Details hold ids, codes, scores and reasons: never a face, an embedding or a NIK.

Appends are serialised so that the chain is one line: on PostgreSQL by a transaction-scoped
advisory lock taken before the insert (held to commit, so id order is commit order); on
SQLite by its single writer (after our insert no one else can write until we commit).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from proctor.audit.hashing import GENESIS, hash_of
from proctor.audit.venues import venue_of
from proctor.store.audit import AuditRecord

_LOCK_KEY = 0x70726F63  # "proc": the advisory lock of the audit chain


def serialise(session: Session) -> None:
    """Wait for other transactions appending to the chain (PostgreSQL; held to commit)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: uuid.UUID | str,
    **details: Any,
) -> AuditRecord:
    serialise(session)
    entry = AuditRecord(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=json.loads(json.dumps(details)),  # as it will read back
        venue_id=venue_of(session, subject_type, subject_id),
        prev_hash="",
        hash="",
    )
    session.add(entry)
    session.flush()  # the id is part of the hashed content
    previous = session.scalar(
        select(AuditRecord.hash)
        .where(AuditRecord.id < entry.id)
        .order_by(AuditRecord.id.desc())
        .limit(1)
    )
    entry.prev_hash = previous or GENESIS
    entry.hash = hash_of(entry)
    return entry
