"""Exam service under load: observation batches from many stations, and how long a pause
takes to reach the station's event stream.

    python benchmarks/service.py [--stations 40] [--seconds 20] [--pauses 20]
                                 [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]

For each backend it seeds a fresh database (SQLite file; PostgreSQL schema, dropped after),
runs `proctor serve` (one process on SQLite; two on PostgreSQL, the stream held by one and the
pause posted to the other), and writes benchmarks/results/service.{json,md}. The load
generator shares the machine with the server(s), as stated in the results.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import httpx2
import typer
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.live
from runs import database, heading, provenance, save

from proctor.access.tokens import Role, issue_token
from proctor.store.database import make_engine
from proctor.store.migrate import upgrade
from tests.support.live import EventReader, serve_process, server_env
from tests.support.sealing import sealed_sessions
from tests.support.seed import running_attempts
from tests.support.world import NIK_KEY

BATCH = 4  # two seconds of observations at the agent's default 2 per second
app = typer.Typer(add_completion=False)


def seed(url: str, stations: int) -> list[tuple[str, str, str]]:
    """`stations` stations, each with an attempt in progress: (station, attempt, token)."""
    engine = make_engine(url)
    upgrade(engine)
    seeded = running_attempts(url, stations, NIK_KEY.encode())  # the servers' key
    with sealed_sessions(engine)() as s:
        tokens = [
            issue_token(s, Role.STATION, actor="bench", station_id=uuid.UUID(station))[1]
            for station, _ in seeded
        ]
        s.commit()
    engine.dispose()
    return [
        (station, attempt, token) for (station, attempt), token in zip(seeded, tokens, strict=True)
    ]


def observations(start_seq: int, count: int, score: float) -> list[dict]:
    t0 = datetime.now(UTC) - timedelta(seconds=count)
    return [
        {
            "seq": start_seq + i,
            "observed_at": (t0 + timedelta(seconds=i / 2)).isoformat(),
            "face_count": 1,
            "score": score,
        }
        for i in range(count)
    ]


def load(base: str, stations: list[tuple[str, str, str]], seconds: float) -> dict:
    """Each station posts honest batches back to back for `seconds`."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def station_loop(station_id: str, attempt_id: str, token: str) -> None:
        nonlocal errors
        seq = 0
        with httpx2.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
            while time.monotonic() < deadline:
                body = {"attempt_id": attempt_id, "observations": observations(seq, BATCH, 0.8)}
                started = time.perf_counter()
                response = http.post(f"{base}/api/v1/stations/{station_id}/observations", json=body)
                elapsed = time.perf_counter() - started
                with lock:
                    if response.status_code == 200 and response.json()["accepted"] == BATCH:
                        latencies.append(elapsed)
                    else:
                        errors += 1
                seq += BATCH

    threads = [threading.Thread(target=station_loop, args=s) for s in stations]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "stations": len(stations),
        "seconds": round(wall, 1),
        "batches": len(latencies),
        "errors": errors,
        "observations_per_second": round(len(latencies) * BATCH / wall, 1),
        "batch_ms_p50": round(statistics.median(ordered) * 1000, 1),
        "batch_ms_p95": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "batch_ms_p99": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 1),
        # Stations one server sustains at the agent's pace (one batch per 2 s each).
        "stations_sustainable": int(len(latencies) / wall * 2),
    }


def signed_over(engine, since: float, timeout: float = 10.0) -> float:
    """Seconds from `since` (perf_counter) until a signed head covers every audit record
    committed now (the pause's among them), read from the database every 10 ms."""
    with engine.connect() as connection:
        records = connection.scalar(text("SELECT count(*) FROM audit_records"))
    while True:
        with engine.connect() as connection:
            size = connection.scalar(text("SELECT max(tree_size) FROM audit_checkpoints")) or 0
        if size >= records:
            return time.perf_counter() - since
        if time.perf_counter() - since > timeout:
            raise RuntimeError(f"no head over {records} records after {timeout} s")
        time.sleep(0.01)


def pause_latency(
    stream_base: str,
    post_base: str,
    trials: list[tuple[str, str, str]],
    settle: float = 0.0,
    database_url: str | None = None,
) -> dict:
    """From sending a mismatching batch to the station's stream showing the pause (the first
    trial after `settle` seconds: under a load started beside it, once the load is running),
    and, given the database, until a signed head covers the pause's audit records."""
    time.sleep(settle)
    post_ms, delivered_ms, head_ms = [], [], []
    engine = make_engine(database_url) if database_url else None
    for station_id, attempt_id, token in trials:
        url = f"{stream_base}/api/v1/stations/{station_id}/events"
        with EventReader(url, token) as stream:
            stream.wait_for(lambda s: s["attempt"]["state"] == "in_progress")
            started = time.perf_counter()
            response = httpx2.post(
                f"{post_base}/api/v1/stations/{station_id}/observations",
                json={"attempt_id": attempt_id, "observations": observations(0, 3, 0.05)},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            posted = time.perf_counter()
            assert response.json()["state"] == "paused", response.text
            stream.wait_for(lambda s: s["attempt"]["state"] == "paused", timeout=10)
            delivered = time.perf_counter()
        post_ms.append((posted - started) * 1000)
        delivered_ms.append((delivered - started) * 1000)
        if engine is not None:
            head_ms.append(signed_over(engine, started) * 1000)
    if engine is not None:
        engine.dispose()
    out = {
        "trials": len(trials),
        "post_ms_p50": round(statistics.median(post_ms), 1),
        "delivered_ms_p50": round(statistics.median(delivered_ms), 1),
        "delivered_ms_max": round(max(delivered_ms), 1),
    }
    if head_ms:  # from sending the batch until a signed head covers the pause
        out |= {"signed_ms_p50": round(statistics.median(head_ms), 1),
                "signed_ms_max": round(max(head_ms), 1)}  # fmt: skip
    return out


def run_backend(backend: str, postgres: str, stations: int, seconds: float, pauses: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp, database(backend, postgres, Path(tmp)) as url:
        seeded = seed(url, stations + pauses)
        env = server_env(
            url, Path(tmp), policy='{"match_threshold": 0.36}',
            sse_heartbeat_seconds="60",  # only the notice can deliver a pause fast
        )  # fmt: skip
        with ExitStack() as stack:
            first = stack.enter_context(serve_process(env, Path(tmp) / "a.log"))
            second = first
            if backend == "postgresql":
                second = stack.enter_context(serve_process(env, Path(tmp) / "b.log"))
            typer.echo(f"{backend}: {stations} stations for {seconds:.0f} s", err=True)
            loaded = load(first, seeded[:stations], seconds)
            typer.echo(f"{backend}: {pauses} pauses", err=True)
            paused = pause_latency(first, second, seeded[stations:], database_url=url)
        return {
            "backend": backend,
            "server_processes": 1 if backend == "sqlite" else 2,
            "load": loaded,
            "pause": paused,
        }


@app.command()
def main(
    stations: Annotated[int, typer.Option(min=1, help="Stations posting at once.")] = 40,
    seconds: Annotated[float, typer.Option(min=1, help="Load duration per backend.")] = 20,
    pauses: Annotated[int, typer.Option(min=1, help="Pause delivery trials.")] = 20,
    postgres: Annotated[
        str, typer.Option(help="PostgreSQL server URL; empty to skip.")
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/test",
) -> None:
    backends = ["sqlite", "postgresql"] if postgres else ["sqlite"]
    results = [run_backend(b, postgres, stations, seconds, pauses) for b in backends]
    payload = {**provenance("service.py"), "batch_size": BATCH, "results": results}
    save("service", payload, report(payload))
    typer.echo(report(payload))


def report(payload: dict) -> str:
    rows = "\n".join(
        f"| {r['backend']} | {r['server_processes']} | {r['load']['stations']} "
        f"| {r['load']['observations_per_second']} | {r['load']['batch_ms_p50']} "
        f"| {r['load']['batch_ms_p95']} | {r['load']['batch_ms_p99']} | {r['load']['errors']} "
        f"| {r['load']['stations_sustainable']} | {r['pause']['post_ms_p50']} "
        f"| {r['pause']['delivered_ms_p50']} | {r['pause']['delivered_ms_max']} "
        f"| {r['pause'].get('signed_ms_p50', '-')} | {r['pause'].get('signed_ms_max', '-')} |"
        for r in payload["results"]
    )
    return f"""# Exam service benchmark

{heading(payload)}

Stations post batches of {payload["batch_size"]} observations (2 s of frames at the agent's
default rate) back to back, each batch stored and judged by the policy; the load generator runs
on the same machine as the server(s). "Sustainable stations" is batches per second x 2: how
many stations posting every 2 s one deployment of this size keeps up with. Pause delivery is
the time from sending a mismatching batch until the station's event stream shows the pause; on
PostgreSQL the stream is held by one server process and the batch posted to another
(LISTEN/NOTIFY), the heartbeat set to 60 s so that only the notice can deliver it in time.
Head signed: from sending that batch until a signed audit head covers the pause's records
(read from the database every 10 ms).

| backend | server processes | stations | observations/s | batch p50 ms | p95 | p99 | errors | sustainable stations | pause POST p50 ms | pause on stream p50 ms | max | head signed p50 ms | max |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
{rows}
"""


if __name__ == "__main__":
    app()
