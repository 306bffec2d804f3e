"""The Merkle tree over the audit records, kept in `audit_tree_nodes` (`proctor.audit.merkle`
builds and proves; this stores). Leaf `i` is the i-th record in id order, its data the record's
chain hash, so the tree and the chain witness the same content.

The signer grows the tree (`grow`) before each signed head, under the head lock: records are
appended under the chain's lock and committed in id order, so reading the records after the
last leaf always reads a prefix of what will follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.orm import Session

from proctor.audit.merkle import Frontier, Tree, leaf_hash
from proctor.store.audit import AuditRecord, AuditTreeNode

CHUNK = 5000  # records read and nodes written at a time
T = TypeVar("T")


def leaf_of(record_hash: str) -> bytes:
    """A record's leaf hash: RFC 6962's leaf prefix over its chain hash's bytes."""
    return leaf_hash(bytes.fromhex(record_hash))


@dataclass(frozen=True)
class Grown:
    size: int
    root: bytes
    last_record_id: int | None
    last_hash: str | None


def last_leaf(session: Session) -> tuple[int, int | None]:
    """(leaves stored, the record id of the last one)."""
    row = session.execute(
        select(AuditTreeNode.position, AuditTreeNode.record_id)
        .where(AuditTreeNode.level == 0)
        .order_by(AuditTreeNode.position.desc())
        .limit(1)
    ).first()
    return (0, None) if row is None else (row.position + 1, row.record_id)


def _nodes(session: Session, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    if not wanted:
        return {}
    node = AuditTreeNode
    rows = session.execute(
        select(node.level, node.position, node.hash).where(
            or_(*(and_(node.level == lv, node.position == ix) for lv, ix in wanted))
        )
    ).all()
    return {(r.level, r.position): bytes.fromhex(r.hash) for r in rows}


def _all_nodes(session: Session, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    found = _nodes(session, wanted)
    if len(found) != len(set(wanted)):
        raise LookupError("the stored audit tree is missing subtrees; rebuild it")
    return found


def frontier(session: Session) -> tuple[Frontier, int | None]:
    """The stored tree's frontier and the record id of its last leaf."""
    size, last = last_leaf(session)
    wanted = Frontier.needed(size)
    found = _all_nodes(session, wanted)
    return Frontier(size, {lv: found[lv, ix] for lv, ix in wanted}), last


def _new_records(session: Session, after: int | None) -> Iterator[list]:
    last = -1 if after is None else after
    while True:
        chunk = session.execute(
            select(AuditRecord.id, AuditRecord.hash)
            .where(AuditRecord.id > last)
            .order_by(AuditRecord.id)
            .limit(CHUNK)
        ).all()
        if not chunk:
            return
        yield chunk
        last = chunk[-1].id


def grow(session: Session, limit: int | None = None) -> Grown:
    """Add a leaf for every record not yet in the tree, or for the first `limit` of them (in
    the caller's transaction: a log that predates the tree is caught up a part per round,
    never in one long write)."""
    tree, last_id = frontier(session)
    last_hash = None
    if last_id is not None:
        last_hash = session.scalar(select(AuditRecord.hash).where(AuditRecord.id == last_id))
    added = 0
    for chunk in _new_records(session, last_id):
        if limit is not None and added >= limit:
            break
        added += len(chunk)
        rows = []
        for record in chunk:
            for level, index, digest in tree.append(leaf_of(record.hash)):
                rows.append({
                    "level": level, "position": index, "hash": digest.hex(),
                    "record_id": record.id if level == 0 else None,
                })  # fmt: skip
        session.execute(insert(AuditTreeNode), rows)
        last_id, last_hash = chunk[-1].id, chunk[-1].hash
    return Grown(tree.size, tree.root(), last_id, last_hash)


def answer(session: Session, size: int, use: Callable[[Tree], T]) -> T:
    """`use(tree)` over the stored tree's first `size` leaves, every node it needs read in one
    query: `use` runs once over placeholders to learn which nodes (a proof's are fixed by the
    sizes and indexes alone), then over the nodes read."""
    wanted: dict[tuple[int, int], None] = {}

    def plan(level: int, index: int) -> bytes:
        wanted[level, index] = None
        return bytes(32)

    use(Tree(size, plan))
    found = _all_nodes(session, list(wanted))
    return use(Tree(size, lambda level, index: found[level, index]))


def leaf_at(session: Session, position: int) -> bytes | None:
    """The leaf hash at a position, once the tree has grown over it."""
    return _nodes(session, [(0, position)]).get((0, position))


def position_of(session: Session, record_id: int) -> int | None:
    """The leaf position of a record, once the tree has grown over it."""
    return session.scalar(
        select(AuditTreeNode.position).where(
            AuditTreeNode.level == 0, AuditTreeNode.record_id == record_id
        )
    )
