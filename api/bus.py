"""Station events from committed transactions to the event streams of every server process.

SQLite (one process): delivered in process after the commit. PostgreSQL: `pg_notify` inside the
transaction, so the notice leaves only if the pause commits, and each process LISTENs and fans
it out to its own streams. Streams also re-read the state on a heartbeat, which heals a notice
missed while a listener reconnected.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Iterator

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from proctor.exam.events import StationEvent, take_pending

logger = logging.getLogger(__name__)
QUEUE_SIZE = 64


class StationBus:
    """Per-process fan-out to the subscribed streams, on the server's event loop."""

    def __init__(self) -> None:
        # None in a queue: the server is stopping, the stream ends.
        # Keyed by station; None: every station's events (a console's venue grid filters them).
        self._subscribers: dict[uuid.UUID | None, set[asyncio.Queue[StationEvent | None]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closing = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    @contextlib.contextmanager
    def subscribe(
        self, station_id: uuid.UUID | None
    ) -> Iterator[asyncio.Queue[StationEvent | None]]:
        queue: asyncio.Queue[StationEvent | None] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.setdefault(station_id, set()).add(queue)
        try:
            yield queue
        finally:
            subscribers = self._subscribers.get(station_id, set())
            subscribers.discard(queue)
            if not subscribers:
                self._subscribers.pop(station_id, None)

    def subscribers(self, station_id: uuid.UUID) -> int:
        return len(self._subscribers.get(station_id, ()))

    def dispatch(self, item: StationEvent) -> None:
        """Call on the loop's thread."""
        every = self._subscribers.get(None, ())
        for queue in (*self._subscribers.get(item.station_id, ()), *every):
            if queue.full():  # a stalled stream loses its oldest notice, never blocks others
                queue.get_nowait()
            queue.put_nowait(item)

    def close_streams(self) -> None:
        """The server is stopping: wake every stream to end (call on the loop's thread)."""
        self.closing = True
        for queues in self._subscribers.values():
            for queue in queues:
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(None)

    def close_streams_threadsafe(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.close_streams)

    def dispatch_threadsafe(self, item: StationEvent) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.dispatch, item)


def install_delivery(
    factory: sessionmaker[Session], bus: StationBus, *, postgres_channel: str | None
) -> None:
    """Hook commits of sessions from `factory` so their pending events are delivered."""

    def before_commit(session: Session) -> None:
        if postgres_channel is None:
            return
        for item in take_pending(session):
            session.connection().execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": postgres_channel, "payload": json.dumps(item.to_json())},
            )

    def after_commit(session: Session) -> None:
        for item in take_pending(session):
            bus.dispatch_threadsafe(item)

    def after_rollback(session: Session) -> None:
        take_pending(session)  # nothing happened, so nothing is told

    event.listen(factory, "before_commit", before_commit)
    event.listen(factory, "after_commit", after_commit)
    event.listen(factory, "after_soft_rollback", lambda s, _t: after_rollback(s))


class PostgresListener:
    """LISTENs on the channel and feeds the local bus; reconnects with backoff."""

    def __init__(self, database_url: str, channel: str, bus: StationBus) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._channel = channel
        self._bus = bus
        self.ready = asyncio.Event()

    async def run(self) -> None:
        import psycopg  # only PostgreSQL deployments need it loaded

        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True
                ) as conn:
                    await conn.execute(f'LISTEN "{self._channel}"')
                    self.ready.set()
                    delay = 0.5
                    async for notice in conn.notifies():
                        self._deliver(notice.payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any failure: log, back off, reconnect
                self.ready.clear()
                logger.warning(
                    "event listener lost PostgreSQL (%s); retrying in %.1fs",
                    type(exc).__name__,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 15.0)

    def _deliver(self, payload: str) -> None:
        try:
            item = StationEvent.from_json(json.loads(payload))
        except (ValueError, KeyError, TypeError):
            logger.warning("ignored a malformed station notice")
            return
        self._bus.dispatch(item)
