"""The latest full check of the audit chain, kept by the running service: the service checks
the chain at start and after each checkpoint it signs, and the committee's console shows that
result (or asks for a fresh one) instead of walking every record on every page load."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from nacl.signing import SigningKey
from sqlalchemy.orm import Session, sessionmaker

from proctor.audit_chain import Verdict, sign_checkpoint, verify
from proctor.store.base import utcnow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChainCheck:
    verdict: Verdict
    finished_at: datetime
    seconds: float


class ChainWatch:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self.latest: ChainCheck | None = None

    def check(self) -> ChainCheck:
        """Walk the whole chain now (blocking; one walk at a time, a second caller waits)."""
        with self._lock:
            began = time.perf_counter()
            with self._sessions() as session:
                verdict = verify(session)
            self.latest = ChainCheck(verdict, utcnow(), round(time.perf_counter() - began, 2))
        if not verdict.ok and verdict.problem is not None:
            # Record ids and the kind of break only: never a record's content.
            logger.error(
                "audit chain broken: %s at record %s",
                verdict.problem.kind,
                verdict.problem.record_id,
            )
        return self.latest


async def upkeep(
    watch: ChainWatch, sessions: sessionmaker[Session], key: SigningKey | None, interval: float
) -> None:
    """Every `interval` seconds, from the start: sign the chain's head (when it has grown and
    the service has a key), then check the whole chain. A failed round is logged and retried."""

    def sign(signer: SigningKey) -> None:
        with sessions() as session:
            sign_checkpoint(session, signer)
            session.commit()

    while True:
        try:
            if key is not None:
                await asyncio.to_thread(sign, key)
            await asyncio.to_thread(watch.check)
        except Exception:  # the service keeps serving; the next round tries again
            logger.exception("audit chain upkeep failed")
        await asyncio.sleep(interval)
