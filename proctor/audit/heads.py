"""Signed heads: the audit log's size, Merkle root and last link, signed with the service's
Ed25519 key within a second of any change (the upkeep's head round) and kept in
`audit_checkpoints`. Witnesses (stations, the committee) keep the heads they see; a later log
must extend every one of them (`proctor.audit.witness`).

With several server processes on PostgreSQL one signs at a time (an advisory lock); the others
skip that round. On SQLite the caller passes the service's write turn.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from nacl.signing import SigningKey
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from proctor.audit.hashing import head_message
from proctor.audit.tree import grow, last_leaf
from proctor.clock import utcnow
from proctor.store.audit import AuditCheckpoint, AuditRecord

_LOCK_KEY = 0x70726F68  # "proh": one signer at a time


def public_key_of(key: SigningKey) -> str:
    return base64.b64encode(bytes(key.verify_key)).decode()


def latest_head(session: Session) -> AuditCheckpoint | None:
    return session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))


def unsigned(session: Session) -> bool:
    """Whether records were added since the tree last grew: two indexed reads, no lock, so
    that a quiet service's rounds cost next to nothing."""
    newest = session.scalar(select(func.max(AuditRecord.id)))
    return newest is not None and newest != last_leaf(session)[1]


def _take_lock(session: Session) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _LOCK_KEY}))


ROUND = 50_000  # records a head round grows the tree by, at most


def sign_head(
    session: Session,
    key: SigningKey,
    *,
    at: datetime | None = None,
    force: bool = False,
    limit: int | None = None,
) -> AuditCheckpoint | None:
    """Grow the tree over new records (at most `limit` of them) and sign its head (the
    caller commits). None when nothing is new since the latest head (unless `force`: a key's
    hand-over signs the same tree again), when the log is empty, or when another process is
    signing."""
    if not _take_lock(session):
        return None
    grown = grow(session, limit)
    if grown.size == 0 or grown.last_record_id is None or grown.last_hash is None:
        return None
    latest = latest_head(session)
    if not force and latest is not None and latest.tree_size == grown.size:
        return None
    at = at or utcnow()
    root = grown.root.hex()
    message = head_message(
        tree_size=grown.size, root_hash=root, last_record_id=grown.last_record_id,
        last_hash=grown.last_hash, at=at,
    )  # fmt: skip
    head = AuditCheckpoint(
        at=at, last_record_id=grown.last_record_id, last_hash=grown.last_hash,
        records=grown.size, tree_size=grown.size, root_hash=root,
        public_key=public_key_of(key),
        signature=base64.b64encode(key.sign(message).signature).decode(),
    )  # fmt: skip
    session.add(head)
    session.flush()
    return head


def head_dict(head: AuditCheckpoint) -> dict[str, Any]:
    """A head as witnesses keep it and exports carry it (older checkpoints: no tree)."""
    out = {
        "id": head.id, "at": head.at.isoformat(), "last_record_id": head.last_record_id,
        "last_hash": head.last_hash, "records": head.records, "public_key": head.public_key,
        "signature": head.signature,
    }  # fmt: skip
    if head.root_hash is not None:
        out |= {"tree_size": head.tree_size, "root_hash": head.root_hash}
    return out
