"""The service applies the biometric data retention schedule (`proctor.exam.retention`) on its
own, every `PROCTOR_RETENTION__RUN_EVERY_SECONDS` (an hour by default)."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker

from proctor.clock import utcnow
from proctor.exam import retention
from proctor.exam.retention_rules import RetentionRules

logger = logging.getLogger(__name__)


async def retention_upkeep(sessions: sessionmaker[Session], rules: RetentionRules) -> None:
    """A failed round is logged (by type only) and tried again at the next."""
    while True:
        await asyncio.sleep(rules.run_every_seconds)
        try:
            done = await asyncio.to_thread(retention.run, sessions, rules, utcnow())
            if done:
                logger.info("retention: %d deletions", len(done))
        except Exception:  # the service keeps serving
            logger.exception("the retention round failed")
