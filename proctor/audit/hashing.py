"""The audit chain's hash: SHA-256 over a canonical JSON of a record's content and the
previous record's hash. Shared by writing (`trail`) and checking (`chain`)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first record


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(
    *,
    record_id: int,
    at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    details: dict[str, Any],
    prev_hash: str,
    venue_id: str | None = None,
) -> str:
    content = {
        "id": record_id,
        "at": at.isoformat(),
        "actor": actor,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "details": details,
        "prev": prev_hash,
    }
    if venue_id is not None:  # absent from records older than the venue column: their hash holds
        content["venue"] = venue_id
    return hashlib.sha256(canonical(content).encode()).hexdigest()


def hash_of(record: Any, prev_hash: str | None = None) -> str:
    """The hash `record` (an AuditRecord or the same fields in a dict) should carry."""
    get = record.get if isinstance(record, dict) else lambda k: getattr(record, k)
    at, venue = get("at"), get("venue_id")
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return record_hash(
        record_id=int(get("id")),
        at=at,
        actor=get("actor"),
        action=get("action"),
        subject_type=get("subject_type"),
        subject_id=get("subject_id"),
        details=get("details"),
        prev_hash=get("prev_hash") if prev_hash is None else prev_hash,
        venue_id=None if venue is None else str(venue),
    )


def checkpoint_message(last_record_id: int, last_hash: str, records: int, at: datetime) -> bytes:
    """What a checkpoint's signature covers."""
    return canonical(
        {
            "chain": "proctor-audit-v1",
            "last_record_id": last_record_id,
            "last_hash": last_hash,
            "records": records,
            "at": at.isoformat(),
        }
    ).encode()


def head_message(
    *, tree_size: int, root_hash: str, last_record_id: int, last_hash: str, at: datetime
) -> bytes:
    """What a signed head's signature covers: the Merkle root over the first `tree_size`
    records and the chain's last link, so either check stands on its own."""
    return canonical(
        {
            "log": "proctor-audit-v2",
            "tree_size": tree_size,
            "root_hash": root_hash,
            "last_record_id": last_record_id,
            "last_hash": last_hash,
            "at": at.isoformat(),
        }
    ).encode()
