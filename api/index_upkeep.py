"""The registry's face index in the service: built (or loaded from its saved copy) at start in
the background, saved when it changed every few minutes and at shutdown
(`proctor.identity.index_store`)."""

from __future__ import annotations

import asyncio
import logging

from proctor.api.context import ServiceContext

logger = logging.getLogger(__name__)


async def index_upkeep(context: ServiceContext, save_every: float) -> None:
    """A failure is logged (by type only) and the next round tries again; searches still work
    from the database, since the registry builds itself on first use."""
    try:
        await asyncio.to_thread(context.warm_registry)
    except Exception:
        logger.exception("building the face index at start failed")
    while True:
        await asyncio.sleep(save_every)
        try:
            await asyncio.to_thread(context.save_registry)
        except Exception:
            logger.exception("saving the face index failed")
