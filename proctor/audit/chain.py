"""Checking the audit chain, signing its head, and exporting it for the committee.

`verify` walks the records in id order and names the first one that breaks the chain:

- `modified`: its content no longer gives its hash;
- `deleted`: it points to a record that is no longer there;
- `inserted`: it is not where the chain says (the next record points past it);
- `reordered`: it points to a record that exists, elsewhere in the order.

Deleting the newest records leaves a shorter chain that is consistent; the latest signed
checkpoint catches that (`truncated`), and a checkpoint signed by another key fails.
"""

from __future__ import annotations

import base64
import json
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.signing import SigningKey, VerifyKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from proctor.audit.hashing import GENESIS, checkpoint_message, hash_of
from proctor.clock import utcnow
from proctor.store.audit import AuditCheckpoint, AuditRecord


@dataclass(frozen=True)
class Problem:
    record_id: int | None
    kind: str  # modified, deleted, inserted, reordered, truncated, bad_signature, wrong_key
    message: str


@dataclass(frozen=True)
class Verdict:
    records: int
    problem: Problem | None
    checkpoint_id: int | None  # the checkpoint checked, if any

    @property
    def ok(self) -> bool:
        return self.problem is None


def walk(
    open_records: Callable[[], Iterable[dict[str, Any]]], keep: Collection[int] = ()
) -> tuple[int, Problem | None, dict[int, str]]:
    """Check the chain of the records `open_records()` yields (dicts, id order), holding only
    the last two in memory. Returns how many were read in order, the first problem, and the
    hashes of the records whose ids are in `keep` (a checkpoint's record). A broken chain is
    read once more to say how it broke."""
    kept: dict[int, str] = {}
    recent: deque[dict[str, Any]] = deque(maxlen=2)
    previous = GENESIS
    count = 0
    for row in open_records():
        content_ok = hash_of(row) == row["hash"]
        if not (content_ok and row["prev_hash"] == previous):
            return count, _diagnose(open_records, count, row, recent, content_ok), kept
        if int(row["id"]) in keep:
            kept[int(row["id"])] = row["hash"]
        previous = row["hash"]
        recent.append(row)
        count += 1
    return count, None, kept


def _diagnose(
    open_records: Callable[[], Iterable[dict[str, Any]]],
    i: int,
    row: dict[str, Any],
    recent: deque[dict[str, Any]],
    content_ok: bool,
) -> Problem:
    rid = int(row["id"])
    points_to, other = next(
        ((j, r["id"]) for j, r in enumerate(open_records()) if r["hash"] == row["prev_hash"]),
        (None, None),
    )
    if points_to is not None and points_to not in (i - 1, i - 2):
        return Problem(
            rid, "reordered", f"record {rid} belongs after record {other}, not where it is"
        )
    if not content_ok:
        return Problem(rid, "modified", f"record {rid}: its content does not match its hash")
    if points_to is None:
        return Problem(
            rid, "deleted", f"record {rid}: the record before it was deleted or replaced"
        )
    inserted = int(recent[-1]["id"])  # the chain goes around it
    return Problem(inserted, "inserted", f"record {inserted} was inserted into the chain")


COLUMNS = (
    AuditRecord.id, AuditRecord.at, AuditRecord.actor, AuditRecord.action,
    AuditRecord.subject_type, AuditRecord.subject_id, AuditRecord.details,
    AuditRecord.venue_id, AuditRecord.prev_hash, AuditRecord.hash,
)  # fmt: skip


def _rows(session: Session, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Every record as a dict, in id order, a batch at a time (plain rows, no ORM objects)."""
    last = 0
    while True:
        chunk = session.execute(
            select(*COLUMNS).where(AuditRecord.id > last).order_by(AuditRecord.id).limit(batch)
        ).all()
        if not chunk:
            return
        for r in chunk:
            yield {
                "id": r.id, "at": r.at.isoformat(), "actor": r.actor, "action": r.action,
                "subject_type": r.subject_type, "subject_id": r.subject_id,
                "details": r.details,
                "venue_id": None if r.venue_id is None else str(r.venue_id),
                "prev_hash": r.prev_hash, "hash": r.hash,
            }  # fmt: skip
        last = chunk[-1].id


def check_checkpoint(
    checkpoint: dict[str, Any], hashes: dict[int, str], trusted_key: str | None
) -> Problem | None:
    try:
        key = VerifyKey(base64.b64decode(checkpoint["public_key"]))
        if trusted_key is not None and checkpoint["public_key"] != trusted_key:
            return Problem(None, "wrong_key", "the checkpoint is signed by another key")
        message = checkpoint_message(
            int(checkpoint["last_record_id"]), checkpoint["last_hash"],
            int(checkpoint["records"]), datetime.fromisoformat(checkpoint["at"]),
        )  # fmt: skip
        key.verify(message, base64.b64decode(checkpoint["signature"]))
    except (BadSignatureError, CryptoError, ValueError, KeyError):
        return Problem(None, "bad_signature", "the checkpoint's signature does not verify")
    last = int(checkpoint["last_record_id"])
    if hashes.get(last) != checkpoint["last_hash"]:
        return Problem(
            last, "truncated",
            f"record {last}, signed at checkpoint {checkpoint.get('id')}, is missing or changed",
        )  # fmt: skip
    return None


def verify(session: Session, trusted_key: str | None = None) -> Verdict:
    latest = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    keep = (latest.last_record_id,) if latest is not None else ()
    count, problem, hashes = walk(lambda: _rows(session), keep)
    if problem is not None or latest is None:
        return Verdict(count, problem, None)
    return Verdict(
        count, check_checkpoint(_checkpoint_dict(latest), hashes, trusted_key), latest.id
    )


def _checkpoint_dict(c: AuditCheckpoint) -> dict[str, Any]:
    return {
        "id": c.id, "at": c.at.isoformat(), "last_record_id": c.last_record_id,
        "last_hash": c.last_hash, "records": c.records, "public_key": c.public_key,
        "signature": c.signature,
    }  # fmt: skip


def sign_checkpoint(session: Session, key: SigningKey) -> AuditCheckpoint | None:
    """Sign the chain's current head (None when there is nothing new since the last)."""
    head = session.scalar(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1))
    if head is None:
        return None
    latest = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    if latest is not None and latest.last_record_id == head.id:
        return None
    count = session.scalar(select(func.count()).select_from(AuditRecord)) or 0
    at = utcnow()
    signature = key.sign(checkpoint_message(head.id, head.hash, count, at)).signature
    checkpoint = AuditCheckpoint(
        at=at, last_record_id=head.id, last_hash=head.hash, records=count,
        public_key=base64.b64encode(bytes(key.verify_key)).decode(),
        signature=base64.b64encode(signature).decode(),
    )  # fmt: skip
    session.add(checkpoint)
    return checkpoint


def export(session: Session, folder: Path) -> tuple[int, int | None]:
    """`records.jsonl` and `checkpoint.json` (the latest) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (folder / "records.jsonl").open("w", encoding="utf-8") as out:
        for row in _rows(session):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    latest = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    if latest is not None:
        (folder / "checkpoint.json").write_text(json.dumps(_checkpoint_dict(latest), indent=2))
    return count, latest.id if latest else None


def verify_export(folder: Path, trusted_key: str | None = None) -> Verdict:
    """Check an export without the database (what the committee runs elsewhere)."""
    path = folder / "checkpoint.json"
    checkpoint = json.loads(path.read_text()) if path.is_file() else None

    def records() -> Iterator[dict[str, Any]]:
        with (folder / "records.jsonl").open(encoding="utf-8") as lines:
            yield from (json.loads(line) for line in lines if line.strip())

    count, problem, hashes = walk(records, _signed_record(checkpoint))
    if problem is not None or checkpoint is None:
        return Verdict(count, problem, None)
    return Verdict(count, check_checkpoint(checkpoint, hashes, trusted_key), checkpoint.get("id"))


def _signed_record(checkpoint: dict[str, Any] | None) -> tuple[int, ...]:
    try:
        return (int(checkpoint["last_record_id"]),) if checkpoint else ()
    except (KeyError, TypeError, ValueError):  # a damaged checkpoint fails its own check
        return ()


def problem_dict(verdict: Verdict) -> dict[str, Any]:
    return {
        "ok": verdict.ok,
        "records": verdict.records,
        "checkpoint_id": verdict.checkpoint_id,
        "problem": asdict(verdict.problem) if verdict.problem else None,
    }
