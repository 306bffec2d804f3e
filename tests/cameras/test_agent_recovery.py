"""The server is away for 8 s while a proxy sits down: once it answers again, the agent sends
its backlog at once and the pause decided on it reaches the station within 3 s of clip time,
with the agent's default backoff (up to 15 s between retries)."""

from __future__ import annotations

import threading
import time

import pytest

from proctor.cameras.agent import Agent, AgentConfig
from proctor.cameras.server import StationServer
from proctor.cameras.sources import FolderSource
from tests.cameras.test_agent_offline import swap_world
from tests.support.live import free_port, threaded_server

pytestmark = pytest.mark.lfw
OUTAGE_SECONDS = 8


def wait_for(condition, seconds: float) -> bool:
    """Wait for the agent's threads (not a measure of their speed: clip time is)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_the_pause_reaches_the_station_within_3_s_of_the_server_answering(lfw_root, tmp_path,
                                                                           engine):  # fmt: skip
    # 2 s of the candidate, then 24 s of a proxy
    _, station_id, token, app, clip = swap_world(lfw_root, tmp_path, engine, proxy_repeats=12)
    port = free_port()
    source = FolderSource(clip, fps=3)
    server = StationServer(f"http://127.0.0.1:{port}", station_id, token)
    agent = Agent(server, source, engine, tmp_path / "outbox.db",
                  AgentConfig(rate=3, send_interval=0.2))  # fmt: skip
    paused_at: list[float] = []
    on_state = agent._on_state

    def seen(state: dict) -> None:
        on_state(state)
        if (state.get("attempt") or {}).get("state") == "paused" and not paused_at:
            paused_at.append(source.clip_seconds)

    agent._on_state = seen
    runner = threading.Thread(target=agent.run)
    with threaded_server(app, port):
        runner.start()
        assert wait_for(lambda: agent.stats["sent"] >= 2, 60)
    down_at = source.clip_seconds
    time.sleep(OUTAGE_SECONDS)  # the agent's delays grow to 8 s meanwhile
    assert not paused_at and len(agent.outbox) > 0
    try:
        with threaded_server(app, port):
            back_at = source.clip_seconds
            assert wait_for(lambda: bool(paused_at), 60), "the pause never reached the station"
    finally:
        agent.stop()
        runner.join(30)
        server.close()
    assert back_at - down_at >= OUTAGE_SECONDS * 0.5  # the clip played on through the outage
    assert paused_at[0] - back_at <= 3.0
