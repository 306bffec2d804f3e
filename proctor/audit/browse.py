"""Reading the audit trail: records narrowed by action, actor, subject and time."""

from __future__ import annotations

import uuid
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
    venue: uuid.UUID | None = None  # records about that venue's subjects (`audit.venues`)
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
    if where.venue is not None:
        query = query.where(AuditRecord.venue_id == where.venue)
    if where.since is not None:
        query = query.where(AuditRecord.at >= where.since)
    if where.until is not None:
        query = query.where(AuditRecord.at <= where.until)
    return query


def newest(
    session: Session, where: RecordFilter, limit: int, *, before: int | None = None
) -> list[AuditRecord]:
    """The newest `limit` matching records, or those before record `before` (the next page)."""
    query = _query(where)
    if before is not None:
        query = query.where(AuditRecord.id < before)
    return list(session.scalars(query.order_by(AuditRecord.id.desc()).limit(limit)))


@dataclass(frozen=True)
class Folded:
    """A run of records in a row with the same action, actor and subject (a flag raised on
    every observation): the newest shown, with how many and since when."""

    record: AuditRecord
    count: int
    first_at: datetime


def fold(records: list[AuditRecord]) -> list[Folded]:
    """`records` newest first, each run of repeats folded into one."""
    out: list[Folded] = []
    for record in records:
        last = out[-1] if out else None
        if last is not None and _same(last.record, record):
            out[-1] = Folded(last.record, last.count + 1, record.at)
        else:
            out.append(Folded(record, 1, record.at))
    return out


def _same(a: AuditRecord, b: AuditRecord) -> bool:
    return (a.action, a.actor, a.subject_type, a.subject_id) == (
        b.action, b.actor, b.subject_type, b.subject_id,
    )  # fmt: skip


def in_order(session: Session, where: RecordFilter) -> Iterator[AuditRecord]:
    """Every matching record, oldest first, read in batches (an export of any size)."""
    query = _query(where).order_by(AuditRecord.id).execution_options(yield_per=1000)
    yield from session.scalars(query)
