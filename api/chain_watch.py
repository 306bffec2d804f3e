"""The service's audit upkeep: a head round signs a head over new records within a second of
their commit (`proctor.audit.heads`), and a check round checks the whole chain, recording the
check for the console (`proctor.audit.checks`). A break is logged by its kind and record id,
never a record's content."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextlib import AbstractContextManager

from nacl.signing import SigningKey
from sqlalchemy.orm import Session, sessionmaker

from proctor.audit.checks import SERVICE, run_check
from proctor.audit.heads import ROUND, sign_head, unsigned
from proctor.store.audit import AuditCheck

logger = logging.getLogger(__name__)


def check_and_record(sessions: sessionmaker[Session], *, by: str, wait: bool) -> AuditCheck | None:
    with sessions() as session:
        check = run_check(session, by=by, wait=wait)
        session.commit()
    if check is not None and not check.ok:
        logger.error(
            "audit chain broken: %s at record %s", check.problem_kind, check.problem_record_id
        )
    return check


def sign_new(
    sessions: sessionmaker[Session], key: SigningKey, turn: AbstractContextManager | None = None
) -> bool:
    """One head round: whether a head was signed. The write turn (SQLite) is taken only when
    there is something to sign, so a round costs the stations nothing while nothing happens."""
    with sessions() as session:
        if not unsigned(session):
            return False
    with sessions() as session:
        # The connection first, then the turn: stations queue for the turn holding their
        # request's connection, so a round that took the turn and then waited for a connection
        # could wait on them while they wait on it (a whole pool's worth, under load).
        session.connection()
        with turn or contextlib.nullcontext():
            head = sign_head(session, key, limit=ROUND)
            session.commit()
    return head is not None


async def head_upkeep(
    sessions: sessionmaker[Session],
    key: SigningKey,
    interval: float,
    turn: AbstractContextManager | None = None,
) -> None:
    """Every `interval` seconds (under a second), sign a head when records were added. A
    failed round (another process signing the same records first) is retried next round."""
    while True:
        try:
            await asyncio.to_thread(sign_new, sessions, key, turn)
        except Exception:  # the service keeps serving; the next round tries again
            logger.warning("audit head round failed; retrying", exc_info=True)
        await asyncio.sleep(interval)


async def check_upkeep(sessions: sessionmaker[Session], interval: float) -> None:
    """From the start, every `interval` seconds. A failed round is logged and retried."""
    while True:
        try:
            # Another server process checking now makes this round's check unnecessary.
            await asyncio.to_thread(check_and_record, sessions, by=SERVICE, wait=False)
        except Exception:  # the service keeps serving; the next round tries again
            logger.exception("audit chain check failed")
        await asyncio.sleep(interval)
