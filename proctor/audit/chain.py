"""Checking the audit log: its hash chain, its Merkle tree, and the signed heads that cover it.

`walk` reads the records in id order and names the first one that breaks the chain:

- `modified`: its content no longer gives its hash;
- `deleted`: it points to a record that is no longer there;
- `inserted`: it is not where the chain says (the next record points past it);
- `reordered`: it points to a record that exists, elsewhere in the order.

Deleting the newest records leaves a shorter chain that is consistent; the latest signed head
catches that (`truncated`), as does any head a witness kept; a log rebuilt over changed records
and signed again no longer extends the heads witnesses kept before (`forked`); a head signed by
a key the committee did not pin, and that no signed hand-over introduced, fails (`wrong_key`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit.findings import Problem, Rotation, Verdict, Walked
from proctor.audit.hashing import GENESIS, hash_of
from proctor.audit.heads import head_dict, latest_head
from proctor.audit.merkle import Frontier
from proctor.audit.rotation import KEY_ROTATED, Keys, check_head
from proctor.audit.tree import leaf_of
from proctor.store.audit import AuditCheckpoint, AuditRecord


def walk(
    open_records: Callable[[], Iterable[dict[str, Any]]],
    keep: Collection[int] = (),
    sizes: Collection[int] = (),
) -> Walked:
    """Check the chain of the records `open_records()` yields (dicts, id order), holding only
    the last two and the tree's frontier in memory. A broken chain is read once more to say
    how it broke."""
    out = Walked()
    wanted = set(sizes)
    recent: deque[dict[str, Any]] = deque(maxlen=2)
    previous = GENESIS
    tree = Frontier()
    for row in open_records():
        content_ok = hash_of(row) == row["hash"]
        if not (content_ok and row["prev_hash"] == previous):
            out.problem = _diagnose(open_records, out.count, row, recent, content_ok)
            return out
        if int(row["id"]) in keep:
            out.hashes[int(row["id"])] = row["hash"]
        tree.append(leaf_of(row["hash"]))
        if row["action"] == KEY_ROTATED:
            out.rotations.append(Rotation.of(tree.size - 1, row["details"]))
            wanted.add(tree.size)  # the old key signs the head that covers its hand-over
        if tree.size in wanted:
            out.roots[tree.size] = tree.root().hex()
            out.last_hashes[tree.size] = row["hash"]
        previous = row["hash"]
        recent.append(row)
        out.count += 1
    return out


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


def stored_records(session: Session, batch: int = 5000) -> Iterator[dict[str, Any]]:
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


def _sizes_and_records(heads: Iterable[dict[str, Any]]) -> tuple[set[int], set[int]]:
    sizes, records = set(), set()
    for head in heads:
        try:
            records.add(int(head["last_record_id"]))
            if head.get("tree_size") is not None:
                sizes.add(int(head["tree_size"]))
        except (KeyError, TypeError, ValueError):  # a damaged head fails its own check
            continue
    return sizes, records


def _size(head: dict[str, Any]) -> int:
    try:
        return int(head.get("tree_size") or head.get("records") or 0)
    except (TypeError, ValueError):
        return 0


def check_witnessed(
    heads: list[dict[str, Any]], walked: Walked, keys: Keys
) -> tuple[int, Problem | None]:
    """Prove the walked log extends every head a witness kept, smallest first; the first it
    cannot extend is the problem."""
    for done, head in enumerate(sorted(heads, key=lambda h: (_size(h), str(h.get("at"))))):
        problem = check_head(head, walked, keys, witness=True)
        if problem is not None:
            return done, problem
    return len(heads), None


def judge(
    open_records: Callable[[], Iterable[dict[str, Any]]],
    latest: dict[str, Any] | None,
    against: list[dict[str, Any]],
    trusted_key: str | None,
    handover: Callable[[int, str], dict[str, Any] | None],
) -> Verdict:
    """Walk the records, then check the log's latest head and every witness head."""
    sizes, records = _sizes_and_records([*([latest] if latest else []), *against])
    walked = walk(open_records, records, sizes)
    latest_id = latest.get("id") if latest else None
    if walked.problem is not None:
        return Verdict(walked.count, walked.problem, None)
    keys = Keys.pinned(trusted_key, walked, handover)
    if latest is not None:
        problem = check_head(latest, walked, keys)
        if problem is not None:
            return Verdict(walked.count, problem, latest_id)
    done, problem = check_witnessed(against, walked, keys)
    return Verdict(walked.count, problem, latest_id, done)


def verify(
    session: Session, trusted_key: str | None = None, against: list[dict[str, Any]] | None = None
) -> Verdict:
    """Check the whole log in the database, its latest signed head, and the heads `against`
    (a witness's) it must extend."""
    latest = latest_head(session)

    def handover(size: int, key: str) -> dict[str, Any] | None:
        head = session.scalar(
            select(AuditCheckpoint)
            .where(AuditCheckpoint.tree_size == size, AuditCheckpoint.public_key == key)
            .order_by(AuditCheckpoint.id)
            .limit(1)
        )
        return None if head is None else head_dict(head)

    latest_dict = None if latest is None else head_dict(latest)
    return judge(lambda: stored_records(session), latest_dict, against or [], trusted_key, handover)


def problem_dict(verdict: Verdict) -> dict[str, Any]:
    return {
        "ok": verdict.ok,
        "records": verdict.records,
        "checkpoint_id": verdict.checkpoint_id,
        "witness_heads_extended": verdict.witnessed,
        "problem": asdict(verdict.problem) if verdict.problem else None,
    }
