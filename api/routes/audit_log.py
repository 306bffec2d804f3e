"""The audit log for witnesses: its latest signed head (any signed-in caller: stations carry
it too), and the proofs the committee checks heads and records with."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from proctor.access.tokens import Role
from proctor.api.deps import Caller, Context, DbSession
from proctor.audit import proofs
from proctor.errors import NotFoundError

router = APIRouter(tags=["audit"])


class SignedHead(BaseModel):
    """What a witness keeps: the log's size, Merkle root and last link, and the signature."""

    id: int
    at: str
    tree_size: int | None = None
    root_hash: str | None = None
    records: int
    last_record_id: int
    last_hash: str
    public_key: str
    signature: str


def signed_head(head: dict[str, Any] | None) -> SignedHead | None:
    return None if head is None else SignedHead(**head)


class ConsistencyProof(BaseModel):
    first: int
    second: int
    first_root_hash: str
    second_root_hash: str
    proof: list[str]
    head: SignedHead


class InclusionProof(BaseModel):
    record_id: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    root_hash: str
    proof: list[str]
    head: SignedHead


@router.get("/audit/head", response_model=SignedHead)
def latest_signed_head(_caller: Caller, context: Context) -> SignedHead:
    """The latest signed head, as every station's stream carries it."""
    head = signed_head(context.heads.latest() if context.heads else None)
    if head is None:
        raise NotFoundError("the audit log has no signed head yet")
    return head


@router.get("/audit/consistency", response_model=ConsistencyProof)
def consistency_proof(
    db: DbSession,
    caller: Caller,
    first: int = Query(..., description="The tree size of a head a witness holds."),
    second: int | None = Query(None, description="A later tree size (default: the latest)."),
) -> dict[str, Any]:
    """The proof that the later tree extends the earlier one (RFC 6962)."""
    caller.require(Role.ADMIN, Role.COMMITTEE)
    return proofs.consistency(db, first, second)


@router.get("/audit/records/{record_id}/inclusion", response_model=InclusionProof)
def inclusion_proof(
    record_id: int,
    db: DbSession,
    caller: Caller,
    tree_size: int | None = Query(None, description="A signed tree size (default: latest)."),
) -> dict[str, Any]:
    """The proof that this record is in the log a signed head covers (RFC 6962)."""
    caller.require(Role.ADMIN, Role.COMMITTEE)
    return proofs.inclusion(db, record_id, tree_size)
