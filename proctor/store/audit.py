"""The append-only audit table, a hash chain, and its signed checkpoints."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from proctor.clock import utcnow
from proctor.store.base import Base

# BIGINT on PostgreSQL; SQLite only autoincrements an INTEGER primary key.
_ID = BigInteger().with_variant(Integer, "sqlite")


class AuditRecord(Base):
    """Each record carries the previous record's hash and the hash of its own content with
    that link (`proctor.audit.chain`): a change, deletion, insertion or reordering breaks it."""

    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(48), index=True)
    subject_type: Mapped[str] = mapped_column(String(24))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]]
    # The venue the subject belongs to (`proctor.audit.venues`), hashed with the rest; none on
    # records of national subjects and on records written before the column was added.
    venue_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """The log's head at a moment, signed with the service's Ed25519 key (a *signed head*):
    the last record and its chain hash, and the root of the Merkle tree over every record
    (`proctor.audit.heads`). Witnesses keep heads; a later log must extend each one.
    Checkpoints signed before the tree existed have no tree size or root."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    last_record_id: Mapped[int] = mapped_column(_ID)
    last_hash: Mapped[str] = mapped_column(String(64))
    records: Mapped[int] = mapped_column(_ID)
    public_key: Mapped[str] = mapped_column(String(64))  # base64 Ed25519 verify key
    signature: Mapped[str] = mapped_column(Text)  # base64 over `signed_message`
    tree_size: Mapped[int | None] = mapped_column(_ID)
    root_hash: Mapped[str | None] = mapped_column(String(64))  # hex


class AuditTreeNode(Base):
    """One perfect subtree of the Merkle tree over the audit records (RFC 6962): 2^level leaves
    from leaf `position * 2^level`. Level 0 holds each record's leaf hash and names the record
    (leaf positions count records in order; ids may have gaps). Derived from the records: the
    records stay the truth, and a check recomputes the tree from them."""

    __tablename__ = "audit_tree_nodes"

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))  # hex
    record_id: Mapped[int | None] = mapped_column(_ID, index=True, unique=True)


class AuditCheck(Base):
    """One full check of the chain: when, by whom (the service's round, or a committee member)
    and what it found. Outside the chain: a check changes nothing it would have to record."""

    __tablename__ = "audit_checks"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    by: Mapped[str] = mapped_column(String(80))
    records: Mapped[int] = mapped_column(_ID)
    ok: Mapped[bool]
    checkpoint_id: Mapped[int | None] = mapped_column(_ID)
    problem_kind: Mapped[str | None] = mapped_column(String(16))
    problem_record_id: Mapped[int | None] = mapped_column(_ID)
    message: Mapped[str | None] = mapped_column(String(200))
    seconds: Mapped[float]
