"""Several server processes share one PostgreSQL: a pause decided in one reaches the event
stream held by another (LISTEN/NOTIFY), with no process memory in between."""

from __future__ import annotations

import uuid

from proctor.access.tokens import Role
from tests.support.helpers import post_mismatches, running_attempt
from tests.support.live import EventReader, serve_process, server_env
from tests.support.world import issue


def test_a_pause_posted_to_one_process_reaches_a_stream_on_another(postgres_migrated, tmp_path):
    migrated = postgres_migrated
    station_id, attempt_id = running_attempt(migrated)
    token = issue(migrated, Role.STATION, station_id=uuid.UUID(station_id))
    env = server_env(
        migrated, tmp_path, policy='{"match_threshold": 0.5}',
        sse_heartbeat_seconds="60",  # so only the notice can deliver the pause fast
    )  # fmt: skip
    with (
        serve_process(env, tmp_path / "a.log") as server_a,
        serve_process(env, tmp_path / "b.log") as server_b,
        EventReader(f"{server_a}/api/v1/stations/{station_id}/events", token) as stream,
    ):
        stream.wait_for(lambda s: s["attempt"]["state"] == "in_progress")
        paused_by_b = post_mismatches(server_b, station_id, attempt_id, token)
        assert paused_by_b["state"] == "paused", paused_by_b
        paused = stream.wait_for(lambda s: s["attempt"]["state"] == "paused", timeout=5)
        assert paused["attempt"]["open_incident"]["reason"] == "face_mismatch"
