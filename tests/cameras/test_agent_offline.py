"""The server goes away in the middle of a clip: the agent keeps analysing into its outbox, and
once the server is back every observation arrives exactly once and the pause still happens."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import func, select

from proctor.access.tokens import Role
from proctor.api.app import create_app
from proctor.cameras.agent import Agent, AgentConfig
from proctor.cameras.server import StationServer
from proctor.cameras.sources import FolderSource
from proctor.faces.enrollment import enroll_photo
from proctor.models.reader import EngineReader
from proctor.store.database import make_engine
from proctor.store.evidence import Incident, Observation
from proctor.store.exam import Attempt
from tests.cameras.test_agent import CANDIDATE, PROXY, person, write_clip
from tests.support.database import migrate
from tests.support.helpers import running_attempt
from tests.support.live import free_port, threaded_server
from tests.support.sealing import sealed_sessions
from tests.support.world import issue, service_settings

pytestmark = pytest.mark.lfw


def enroll(url: str, attempt_id: str, photos: list[bytes], reader: EngineReader) -> None:
    """Give the seeded candidate real registration templates."""
    engine_ = make_engine(url)
    with sealed_sessions(engine_)() as session:
        attempt = session.get(Attempt, uuid.UUID(attempt_id))
        for data in photos:
            enroll_photo(
                session,
                attempt.candidate,
                reader.read(data),
                actor="t",
                registry=None,
            )
        session.commit()
    engine_.dispose()


def swap_world(lfw_root, tmp_path, engine, proxy_repeats: int):
    """A running attempt with real registration templates, its station's token, the service,
    and a clip of 6 frames of the candidate then the proxy's 6 photos `proxy_repeats` times."""
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    station_id, attempt_id = running_attempt(url)
    reader = EngineReader(engine)
    own, proxy = person(lfw_root, CANDIDATE), person(lfw_root, PROXY)
    enroll(url, attempt_id, own[:2], reader)
    token = issue(url, Role.STATION, station_id=uuid.UUID(station_id))
    clip = tmp_path / "clip"
    write_clip(clip, own[2:8] + proxy[1:7] * proxy_repeats)
    app = create_app(service_settings(url, tmp_path, engine="sface", policy={}), reader=reader)
    return url, station_id, token, app, clip


def test_observations_made_offline_arrive_once_and_still_pause(lfw_root, tmp_path, engine):
    url, station_id, token, app, clip = swap_world(lfw_root, tmp_path, engine, proxy_repeats=2)
    port = free_port()

    with threaded_server(app, port) as base:
        server = StationServer(base, station_id, token)
        agent = Agent(
            server, FolderSource(clip, fps=3), engine, tmp_path / "outbox.db",
            AgentConfig(rate=3, send_interval=0.2, backoff_max=0.5),
        )  # fmt: skip
        result: list[str] = []
        runner = threading.Thread(target=lambda: result.append(agent.run()))
        runner.start()
        deadline = time.monotonic() + 20
        while agent.stats["sent"] < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert agent.stats["sent"] >= 3
    # The server is down while the proxy sits down; the agent keeps going into its outbox.
    deadline = time.monotonic() + 30
    while len(agent.outbox) < 3 and runner.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(agent.outbox) >= 3
    with threaded_server(app, port):
        runner.join(60)
    server.close()
    assert result == ["the source ended"]

    engine_ = make_engine(url)
    with sealed_sessions(engine_)() as session:
        stored = session.scalar(select(func.count()).select_from(Observation))
        state = session.scalar(select(Attempt.state))
        incidents = session.scalar(select(func.count()).select_from(Incident))
    engine_.dispose()
    assert stored == agent.stats["analysed"] == agent.stats["sent"]
    assert (state, incidents) == ("paused", 1)
