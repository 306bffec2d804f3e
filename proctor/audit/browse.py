"""Reading the audit trail: records narrowed by action, actor, subject and time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from proctor.store.audit import AuditRecord


@dataclass(frozen=True)
class RecordFilter:
    action: str = ""  # a prefix: "attempt." finds every attempt action
    actor: str = ""  # a prefix
    subject: str = ""  # a subject id, exactly
    since: datetime | None = None
    until: datetime | None = None


def _query(where: RecordFilter) -> Select:
    query = select(AuditRecord)
    if where.action:
        query = query.where(AuditRecord.action.startswith(where.action))
    if where.actor:
        query = query.where(AuditRecord.actor.startswith(where.actor))
    if where.subject:
        query = query.where(AuditRecord.subject_id == where.subject)
    if where.since is not None:
        query = query.where(AuditRecord.at >= where.since)
    if where.until is not None:
        query = query.where(AuditRecord.at <= where.until)
    return query


def newest(session: Session, where: RecordFilter, limit: int) -> list[AuditRecord]:
    return list(session.scalars(_query(where).order_by(AuditRecord.id.desc()).limit(limit)))


def in_order(session: Session, where: RecordFilter) -> Iterator[AuditRecord]:
    """Every matching record, oldest first, read in batches (an export of any size)."""
    query = _query(where).order_by(AuditRecord.id).execution_options(yield_per=1000)
    yield from session.scalars(query)
