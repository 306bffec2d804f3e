"""Full checks of the audit chain, kept in the database so every server process and the
committee see the same latest result and its history.

The service checks the chain every round (`proctor.api.chain_watch`); with several server
processes on PostgreSQL only one of them checks at a time, the others skip that round. A
committee member's check waits for a running one, then checks again.
"""

from __future__ import annotations

import time

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from proctor.audit.chain import verify
from proctor.store.audit import AuditCheck

_LOCK_KEY = 0x70726F64  # "prod": one full check at a time (the chain's appends use "proc")
SERVICE = "service"


def _take_lock(session: Session, wait: bool) -> bool:
    """The check's lock for this transaction (PostgreSQL); SQLite runs in one process."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    if wait:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _LOCK_KEY}))


def run_check(session: Session, *, by: str = SERVICE, wait: bool = True) -> AuditCheck | None:
    """Check the whole chain and record the result (the caller commits, which frees the lock).
    None when `wait` is false and another process is checking."""
    if not _take_lock(session, wait):
        return None
    began = time.perf_counter()
    verdict = verify(session)
    problem = verdict.problem
    check = AuditCheck(
        by=by,
        records=verdict.records,
        ok=verdict.ok,
        checkpoint_id=verdict.checkpoint_id,
        problem_kind=problem.kind if problem else None,
        problem_record_id=problem.record_id if problem else None,
        message=problem.message[:200] if problem else None,
        seconds=round(time.perf_counter() - began, 2),
    )
    session.add(check)
    session.flush()
    return check


def recent_checks(session: Session, limit: int = 5) -> list[AuditCheck]:
    """The newest checks first."""
    return list(
        session.scalars(select(AuditCheck).order_by(AuditCheck.id.desc()).limit(limit)).all()
    )
