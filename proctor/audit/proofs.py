"""Inclusion and consistency proofs out of the stored tree, for the API and exports."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from proctor.audit.heads import head_dict, latest_head
from proctor.audit.tree import answer, leaf_of, position_of
from proctor.errors import ErrorCode, NotFoundError, RejectedInputError
from proctor.store.audit import AuditRecord


def _signed_size(session: Session, size: int | None) -> tuple[int, dict[str, Any]]:
    head = latest_head(session)
    if head is None or not head.tree_size:
        raise NotFoundError("the audit log has no signed head yet")
    if size is None:
        return head.tree_size, head_dict(head)
    if not 0 < size <= head.tree_size:
        raise RejectedInputError(
            f"no tree of {size} records: the latest signed head covers {head.tree_size}",
            code=ErrorCode.TREE_SIZE_INVALID,
        )
    return size, head_dict(head)


def consistency(session: Session, first: int, second: int | None = None) -> dict[str, Any]:
    """The proof that the tree of `second` records (the latest signed head's by default)
    extends the tree of `first`."""
    second, head = _signed_size(session, second)
    if not 0 < first <= second:
        raise RejectedInputError(
            f"no proof from {first} to {second} records", code=ErrorCode.TREE_SIZE_INVALID
        )
    old_root, new_root, proof = answer(
        session, second, lambda tree: (tree.root(first), tree.root(), tree.consistency(first))
    )
    return {
        "first": first, "second": second, "first_root_hash": old_root.hex(),
        "second_root_hash": new_root.hex(), "proof": [h.hex() for h in proof], "head": head,
    }  # fmt: skip


def inclusion(session: Session, record_id: int, size: int | None = None) -> dict[str, Any]:
    """The proof that a record is in the tree of `size` records (the latest signed head's)."""
    record = session.get(AuditRecord, record_id)
    position = position_of(session, record_id) if record is not None else None
    if record is None or position is None:
        raise NotFoundError(f"no audit record {record_id} under a signed head")
    size, head = _signed_size(session, size)
    if position >= size:
        raise RejectedInputError(
            f"record {record_id} came after the tree of {size} records",
            code=ErrorCode.TREE_SIZE_INVALID,
        )
    root, path = answer(session, size, lambda tree: (tree.root(), tree.inclusion(position)))
    return {
        "record_id": record_id, "leaf_index": position, "tree_size": size,
        "leaf_hash": leaf_of(record.hash).hex(), "root_hash": root.hex(),
        "proof": [h.hex() for h in path], "head": head,
    }  # fmt: skip
