"""Station events leave only with a commit, and reach every subscriber of their station."""

from __future__ import annotations

import asyncio
import uuid

from proctor.api.bus import StationBus, install_delivery
from proctor.exam.events import StationEvent, emit
from proctor.store.database import make_engine
from tests.support.sealing import sealed_sessions


def test_events_are_delivered_after_commit_and_never_after_rollback(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'bus.db'}")
    sessions = sealed_sessions(engine)
    bus = StationBus()
    install_delivery(sessions, bus, postgres_channel=None)
    station, other = uuid.uuid4(), uuid.uuid4()

    async def scenario() -> tuple[list[StationEvent], list[StationEvent], int]:
        bus.bind(asyncio.get_running_loop())
        with bus.subscribe(station) as mine, bus.subscribe(other) as theirs:
            with sessions() as session:
                emit(session, StationEvent(station, uuid.uuid4(), "paused", "face_mismatch"))
                session.rollback()
                emit(session, StationEvent(station, uuid.uuid4(), "paused", "camera_blocked"))
                session.commit()
            # Delivery hops onto the loop's thread: wait for the first event, then take any
            # that came with it (a rolled-back one would have been queued before it).
            got = [await asyncio.wait_for(mine.get(), timeout=10)]
            await asyncio.sleep(0)
            got += [mine.get_nowait() for _ in range(mine.qsize())]
            return (
                got,
                [theirs.get_nowait() for _ in range(theirs.qsize())],
                bus.subscribers(station),
            )

    mine, theirs, during = asyncio.run(scenario())
    engine.dispose()
    assert [e.reason for e in mine] == ["camera_blocked"]
    assert theirs == []
    assert during == 1
    assert bus.subscribers(station) == 0  # unsubscribed on leaving


def test_a_stalled_subscriber_keeps_the_newest_events():
    bus = StationBus()
    station = uuid.uuid4()

    async def scenario() -> list[str]:
        with bus.subscribe(station) as queue:
            for i in range(100):
                bus.dispatch(StationEvent(station, uuid.uuid4(), f"s{i}"))
            return [queue.get_nowait().state for _ in range(queue.qsize())]

    states = asyncio.run(scenario())
    assert len(states) == 64
    assert states[-1] == "s99"


def test_events_travel_as_json_and_back():
    event = StationEvent(uuid.uuid4(), uuid.uuid4(), "paused", "face_mismatch")
    assert StationEvent.from_json(event.to_json()) == event
