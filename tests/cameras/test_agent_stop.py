"""Stopping an agent ends its state stream at once, so the server is not left holding it."""

from __future__ import annotations

import threading
import time
import uuid

import cv2
import numpy as np

from proctor.access.tokens import Role
from proctor.api.app import create_app
from proctor.cameras.agent import Agent, AgentConfig
from proctor.cameras.server import StationServer
from proctor.cameras.sources import FolderSource
from tests.conftest import FakeEngine
from tests.support.database import migrate
from tests.support.helpers import running_attempt
from tests.support.live import threaded_server
from tests.support.world import FakeReader, issue, service_settings


def test_stop_ends_the_state_stream_without_waiting_for_the_server(tmp_path):
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    station_id, _ = running_attempt(url)
    token = issue(url, Role.STATION, station_id=uuid.UUID(station_id))
    frames = tmp_path / "frames"
    frames.mkdir()
    for i in range(3):
        cv2.imwrite(str(frames / f"{i}.png"), np.full((48, 64, 3), 100 + i, np.uint8))
    settings = service_settings(url, tmp_path).model_copy(update={"sse_heartbeat_seconds": 60})
    app = create_app(settings, reader=FakeReader())
    with threaded_server(app) as base:
        server = StationServer(base, station_id, token)
        agent = Agent(
            server, FolderSource(frames, fps=5, loop=True), FakeEngine(), tmp_path / "o.db",
            AgentConfig(),
        )  # fmt: skip
        runner = threading.Thread(target=agent.run)
        runner.start()
        deadline = time.monotonic() + 10
        while server._stream is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server._stream is not None, "the agent never opened its state stream"
        stopped_at = time.monotonic()
        agent.stop()
        runner.join(10)
        took = time.monotonic() - stopped_at
        server.close()
        followers = [t for t in threading.enumerate() if t.name == "follow" and t.is_alive()]
    assert not runner.is_alive() and not followers
    assert took < 5  # the next event would have come only after the 60 s heartbeat
