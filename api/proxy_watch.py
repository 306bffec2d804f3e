"""The service's background search for proxies who are themselves enrolled
(`proctor.identity.proxies`): every few seconds, the new face_mismatch incidents."""

from __future__ import annotations

import asyncio
import logging

from proctor.api.context import ServiceContext
from proctor.identity.proxies import search_pending

logger = logging.getLogger(__name__)


async def proxy_upkeep(context: ServiceContext, interval: float) -> None:
    """A failed round is logged (by type only: never a face or an id list) and retried."""
    while True:
        try:
            await asyncio.to_thread(
                search_pending,
                context.sessions,
                context.reader,
                context.registry,
                context.watchlist,
            )
        except Exception:  # the service keeps serving; the next round tries again
            logger.exception("the proxy search round failed")
        await asyncio.sleep(interval)
