"""Stopping `proctor serve` (SIGTERM, as a deployment does) ends the open event streams at once,
so the server stops without waiting out its grace period and cancelling them; the stations'
clients reconnect to a server that is up."""

from __future__ import annotations

import uuid

from proctor.access.tokens import Role
from tests.support.database import migrate
from tests.support.helpers import running_attempt
from tests.support.live import EventReader, serve_process, server_env
from tests.support.world import issue


def test_stopping_the_server_ends_open_event_streams(tmp_path):
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    station_id, _ = running_attempt(url)
    token = issue(url, Role.STATION, station_id=uuid.UUID(station_id))
    env = server_env(url, tmp_path, sse_heartbeat_seconds="60")  # only the stop ends it
    log = tmp_path / "serve.log"
    with serve_process(env, log) as base:
        stream = EventReader(f"{base}/api/v1/stations/{station_id}/events", token).__enter__()
        stream.wait_for(lambda s: s["attempt"]["state"] == "in_progress")
    # Leaving serve_process sent SIGTERM and waited for the process to exit.
    try:
        assert stream.ended(timeout=10)  # the process has exited: only the reader has to notice
        said = log.read_text()
        assert "graceful shutdown exceeded" not in said and "Traceback" not in said, said[-3000:]
        assert "Finished server process" in said
    finally:
        stream.__exit__(None, None, None)
