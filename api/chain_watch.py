"""The service's audit upkeep: every round it signs the chain's head (when it has grown and the
service has a key) and checks the whole chain, recording the check for the console
(`proctor.audit.checks`). A break is logged by its kind and record id, never a record's
content."""

from __future__ import annotations

import asyncio
import logging

from nacl.signing import SigningKey
from sqlalchemy.orm import Session, sessionmaker

from proctor.audit.chain import sign_checkpoint
from proctor.audit.checks import SERVICE, run_check
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


async def upkeep(sessions: sessionmaker[Session], key: SigningKey | None, interval: float) -> None:
    """From the start, every `interval` seconds. A failed round is logged and retried."""

    def sign(signer: SigningKey) -> None:
        with sessions() as session:
            sign_checkpoint(session, signer)
            session.commit()

    while True:
        try:
            if key is not None:
                await asyncio.to_thread(sign, key)
            # Another server process checking now makes this round's check unnecessary.
            await asyncio.to_thread(check_and_record, sessions, by=SERVICE, wait=False)
        except Exception:  # the service keeps serving; the next round tries again
            logger.exception("audit chain upkeep failed")
        await asyncio.sleep(interval)
