"""Several server processes share one PostgreSQL: a pause decided in one reaches the event
stream held by another (LISTEN/NOTIFY), with no process memory in between; and when one is
killed, the stations' retries on the other lose nothing and count nothing twice."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx2
from sqlalchemy import create_engine, text

from proctor.access.tokens import Role
from tests.support.helpers import post_mismatches, running_attempt
from tests.support.live import EventReader, serve_process, served, server_env
from tests.support.seed import running_attempts
from tests.support.world import NIK_KEY, issue


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


def test_a_server_killed_mid_load_loses_nothing_and_counts_nothing_twice(
    postgres_migrated, tmp_path
):
    """Two `proctor serve` processes share PostgreSQL, each station posting to its own; one is
    killed (SIGKILL) mid-load and its stations retry the same batches on the other: every
    observation is stored exactly once and every batch is acknowledged, replays as duplicates."""
    migrated, batches, size = postgres_migrated, 12, 4
    seeded = running_attempts(migrated, 6, NIK_KEY.encode())
    tokens = [issue(migrated, Role.STATION, station_id=uuid.UUID(s)) for s, _ in seeded]
    env = server_env(migrated, tmp_path, policy='{"match_threshold": 0.5}')
    posted, lock = [0], threading.Lock()
    answers: list[dict] = []
    with (
        served(env, tmp_path / "a.log") as (server_a, process_a),
        served(env, tmp_path / "b.log") as (server_b, _),
    ):

        def station(i: int) -> None:
            (station_id, attempt_id), token = seeded[i], tokens[i]
            order = [server_a, server_b] if i % 2 == 0 else [server_b, server_a]
            t0 = datetime.now(UTC) - timedelta(minutes=5)
            for n in range(batches):
                body = {
                    "attempt_id": attempt_id,
                    "observations": [
                        {"seq": n * size + j, "face_count": 1, "score": 0.9,
                         "observed_at": (t0 + timedelta(seconds=n * 2 + j / 2)).isoformat()}
                        for j in range(size)
                    ],
                }  # fmt: skip
                for base in order * 3:  # its own server first, then the other, as a retry
                    try:
                        response = httpx2.post(
                            f"{base}/api/v1/stations/{station_id}/observations", json=body,
                            headers={"Authorization": f"Bearer {token}"}, timeout=10,
                        )  # fmt: skip
                    except httpx2.HTTPError:
                        continue
                    if response.status_code == 200:
                        with lock:
                            answers.append(response.json())
                            posted[0] += 1
                        break
                time.sleep(0.05)

        threads = [threading.Thread(target=station, args=(i,)) for i in range(len(seeded))]
        for thread in threads:
            thread.start()
        while posted[0] < len(seeded) * batches // 3:  # a third of the load is in
            time.sleep(0.01)
        process_a.kill()
        for thread in threads:
            thread.join(60)

    assert len(answers) == len(seeded) * batches  # every batch acknowledged, by one or other
    engine = create_engine(migrated)
    try:
        with engine.connect() as db:
            stored = db.execute(
                text("SELECT station_id, count(*), count(DISTINCT seq) FROM observations "
                     "GROUP BY station_id")
            ).all()  # fmt: skip
    finally:
        engine.dispose()
    assert sorted(n for _, n, _ in stored) == [batches * size] * len(seeded)
    assert all(n == distinct for _, n, distinct in stored)
    # A batch the killed server stored but could not answer is retried on the other and answered
    # as duplicates there: whole batches only, at most one in flight per station it served.
    assert all(a["accepted"] + a["duplicates"] == size for a in answers)
    assert all(a["duplicates"] in (0, size) for a in answers)
    accepted = sum(a["accepted"] for a in answers)
    replayed = sum(a["duplicates"] for a in answers)
    assert accepted + replayed == len(seeded) * batches * size  # nothing counted twice
    assert replayed <= len(seeded[::2]) * size
