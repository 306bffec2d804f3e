"""Venue-scale ingest, open loop: stations send observation batches on their own schedule, at
the agent's pace, as in a venue (not back to back), and each batch's latency counts from the
moment it was due, so a server that falls behind shows it (no coordinated omission).

    python benchmarks/ingest_load.py [--stations 100,200,...] [--step-seconds 30]
        [--sustain-stations 500] [--sustain-seconds 300] [--batch 8] [--interval 4]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test] [--servers 2]
        [--no-sqlite] [--out ingest_load]

For each backend: a fresh database (SQLite file: one `proctor serve`; PostgreSQL schema:
`--servers` processes on ports of their own sharing it, as machines behind a load balancer
would, stations spread over them); a sweep over station counts (p50/p99 of batch latency
against stations, plotted); then the sustained load with pause trials running beside it (the
stream held by the first process, the mismatching batch posted to the last). The load generator
shares the 2 cores with the servers. Writes benchmarks/results/OUT.{json,md,png}.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import threading
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import aiohttp
import typer
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.live
from runs import RESULTS, database, heading, provenance, save
from service import pause_latency, seed

from tests.support.live import serve_process, server_env

app = typer.Typer(add_completion=False)
HONEST = 0.8  # a score well above the benchmark's threshold: nothing to flag


class Station:
    """One seeded station: its ids, token, and the next sequence number it will send."""

    def __init__(self, station_id: str, attempt_id: str, token: str) -> None:
        self.station_id, self.attempt_id, self.token = station_id, attempt_id, token
        self.seq = 0

    def batch(self, count: int, interval: float) -> dict:
        now = datetime.now(UTC)
        step = interval / count
        items = [
            {
                "seq": self.seq + i,
                "observed_at": (now - timedelta(seconds=step * (count - 1 - i))).isoformat(),
                "face_count": 1,
                "score": HONEST,
            }
            for i in range(count)
        ]
        self.seq += count
        return {"attempt_id": self.attempt_id, "observations": items}


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _open_loop(
    bases: list[str],
    stations: list[Station],
    batch: int,
    interval: float,
    seconds: float,
    heartbeat: float,
) -> dict:
    # aiohttp on uvloop: the generator shares the 2 cores with the servers, so it should cost
    # them as little as a real venue's stations (on machines of their own) would. httpx took
    # about 2.4 ms of CPU a batch, a fifth of what the servers took.
    clients = [
        aiohttp.ClientSession(
            base_url=b,
            connector=aiohttp.TCPConnector(limit=0),  # a connection per station, kept alive
            timeout=aiohttp.ClientTimeout(total=60),
        )
        for b in bases
    ]
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.5
    end = start + seconds
    latencies: list[float] = []
    beats: list[float] = []  # heartbeats' latencies: load, not the target
    errors: dict[str, int] = {}
    finished = [start]  # when the last answer came: a server that fell behind drains late

    async def run(i: int, station: Station) -> None:
        client = clients[i % len(clients)]
        due = start + random.uniform(0, interval)  # stations do not start in step
        headers = {"Authorization": f"Bearer {station.token}"}
        path = f"/api/v1/stations/{station.station_id}/observations"
        while due < end:
            await asyncio.sleep(max(0.0, due - loop.time()))
            try:
                async with client.post(
                    path, json=station.batch(batch, interval), headers=headers
                ) as response:
                    answer = await response.json() if response.status == 200 else {}
                ok = answer.get("accepted") == batch
                kind = "" if ok else str(response.status)
            except (aiohttp.ClientError, TimeoutError) as exc:
                kind = type(exc).__name__
            if kind:
                errors[kind] = errors.get(kind, 0) + 1
            else:
                latencies.append(loop.time() - due)
            finished[0] = max(finished[0], loop.time())
            due += interval  # on schedule, whether or not the last one was late

    async def beat(i: int, station: Station) -> None:
        """The agent's heartbeat beside the batches (every 10 s by default)."""
        client = clients[i % len(clients)]
        due = start + random.uniform(0, heartbeat)
        headers = {"Authorization": f"Bearer {station.token}"}
        path = f"/api/v1/stations/{station.station_id}/heartbeat"
        body = {"camera": "ok", "frames_captured": 0, "frames_dropped": 0, "outbox": 0}
        while due < end:
            await asyncio.sleep(max(0.0, due - loop.time()))
            try:
                async with client.post(path, json=body, headers=headers) as response:
                    await response.read()
                kind = "" if response.status == 200 else f"heartbeat {response.status}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                kind = f"heartbeat {type(exc).__name__}"
            if kind:
                errors[kind] = errors.get(kind, 0) + 1
            else:
                beats.append(loop.time() - due)
            due += heartbeat

    try:
        beating = [beat(i, s) for i, s in enumerate(stations)] if heartbeat else []
        await asyncio.gather(*(run(i, s) for i, s in enumerate(stations)), *beating)
    finally:
        for client in clients:
            await client.close()
    ordered, beats = sorted(latencies), sorted(beats)
    return {
        "stations": len(stations),
        "seconds": seconds,
        "batches": len(ordered),
        # Stored over the time until the last answer, not the schedule's: what it kept up with.
        "observations_per_second": round(len(ordered) * batch / (finished[0] - start), 1),
        "offered_per_second": round(len(stations) * batch / interval, 1),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "batch_ms_p50": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "batch_ms_p99": round(_quantile(ordered, 0.99) * 1000, 1) if ordered else None,
        "batch_ms_max": round(ordered[-1] * 1000, 1) if ordered else None,
        "heartbeats": len(beats),
        "heartbeat_ms_p99": round(_quantile(beats, 0.99) * 1000, 1) if beats else None,
    }


def open_loop(bases, stations, batch, interval, seconds, heartbeat) -> dict:
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(_open_loop(bases, stations, batch, interval, seconds, heartbeat))


def run_backend(
    backend: str,
    postgres: str,
    servers: int,
    steps: list[int],
    step_seconds: float,
    sustain: int,
    sustain_seconds: float,
    batch: int,
    interval: float,
    heartbeat: float,
    pauses: int,
) -> dict:
    most = max([*steps, sustain])
    with tempfile.TemporaryDirectory() as tmp, database(backend, postgres, Path(tmp)) as url:
        seeded = seed(url, most + pauses)
        stations = [Station(*s) for s in seeded[:most]]
        env = server_env(
            url, Path(tmp), policy='{"match_threshold": 0.36}', sse_heartbeat_seconds="60"
        )
        with ExitStack() as stack:
            count = servers if backend == "postgresql" else 1  # SQLite: one writer process
            bases = [
                stack.enter_context(serve_process(env, Path(tmp) / f"{i}.log"))
                for i in range(count)
            ]
            sweep = []
            for count in steps:
                typer.echo(f"{backend}: {count} stations for {step_seconds:.0f} s", err=True)
                sweep.append(
                    open_loop(bases, stations[:count], batch, interval, step_seconds, heartbeat)
                )
                typer.echo(f"  {sweep[-1]}", err=True)
            typer.echo(f"{backend}: {sustain} stations for {sustain_seconds:.0f} s", err=True)
            paused: dict = {}
            trials = threading.Thread(
                target=lambda: paused.update(
                    pause_latency(
                        bases[0],
                        bases[-1],
                        seeded[most:],
                        settle=sustain_seconds / 4,
                        database_url=url,
                    )
                )
            )
            trials.start()
            sustained = open_loop(
                bases, stations[:sustain], batch, interval, sustain_seconds, heartbeat
            )
            trials.join()
            typer.echo(f"  {sustained}\n  pauses {paused}", err=True)
    held = [s["stations"] for s in sweep if s["errors"] == 0 and s["batch_ms_p99"] <= 100]
    return {
        "backend": backend,
        "server_processes": len(bases),
        "sweep": sweep,
        "most_stations_at_p99_100ms": max(held, default=0),
        "sustained": sustained,
        "pause_under_load": paused,
    }


def plot(payload: dict, path: Path) -> None:
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4.5))
    for result, colour in zip(payload["results"], ("tab:blue", "tab:orange"), strict=False):
        counts = [s["stations"] for s in result["sweep"]]
        for key, style in (("batch_ms_p50", "--"), ("batch_ms_p99", "-")):
            label = f"{result['backend']} ({result['server_processes']} proc.) {key[9:]}"
            values = [s[key] for s in result["sweep"]]
            axis.plot(counts, values, style, color=colour, marker="o", label=label)
    axis.axhline(100, color="grey", linewidth=0.8)
    axis.text(axis.get_xlim()[0], 104, " p99 target 100 ms", color="grey", fontsize=8)
    axis.set_yscale("log")
    axis.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    axis.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axis.set_xlabel(
        f"stations (each a batch of {payload['batch']} every {payload['interval']} s, "
        f"a heartbeat every {payload.get('heartbeat', 0)} s)"
    )
    axis.set_ylabel("batch latency from due time, ms")
    axis.set_title("Open-loop ingest on 2 cores (load generator included)")
    axis.legend(fontsize=8)
    axis.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


@app.command()
def main(
    stations: Annotated[str, typer.Option(help="Station counts of the sweep.")] = (
        "100,200,300,400,500,600"
    ),
    step_seconds: Annotated[float, typer.Option(min=5)] = 30,
    sustain_stations: Annotated[int, typer.Option(min=1)] = 500,
    sustain_seconds: Annotated[float, typer.Option(min=10)] = 300,
    # The agent's default: 2 analyses a second, routine ones held up to 4 s (AgentConfig).
    batch: Annotated[int, typer.Option(min=1, help="Observations per request.")] = 8,
    interval: Annotated[float, typer.Option(help="Seconds between a station's batches.")] = 4.0,
    heartbeat: Annotated[
        float, typer.Option(min=0, help="Seconds between a station's heartbeats; 0 for none.")
    ] = 10.0,
    pauses: Annotated[int, typer.Option(min=1, help="Pause trials under load.")] = 10,
    postgres: Annotated[
        str, typer.Option(help="PostgreSQL server URL; empty to skip.")
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    servers: Annotated[
        int, typer.Option(min=1, help="`proctor serve` processes on PostgreSQL.")
    ] = 2,
    sqlite: Annotated[bool, typer.Option(help="Measure SQLite too.")] = True,
    out: Annotated[str, typer.Option(help="Name of the results files.")] = "ingest_load",
) -> None:
    steps = [int(s) for s in stations.split(",") if s.strip()]
    backends = (["sqlite"] if sqlite else []) + (["postgresql"] if postgres else [])
    results = [
        run_backend(b, postgres, servers, steps, step_seconds, sustain_stations, sustain_seconds,
                    batch, interval, heartbeat, pauses)
        for b in backends
    ]  # fmt: skip
    payload = {**provenance("ingest_load.py"), "batch": batch, "interval": interval,
               "heartbeat": heartbeat, "results": results}  # fmt: skip
    save(out, payload, report(payload))
    plot(payload, RESULTS / f"{out}.png")
    typer.echo(report(payload))


def report(payload: dict) -> str:
    lines = []
    for r in payload["results"]:
        for s in r["sweep"]:
            lines.append(
                f"| {r['backend']} | {r['server_processes']} | {s['stations']} "
                f"| {s['offered_per_second']} | {s['observations_per_second']} "
                f"| {s['batch_ms_p50']} | {s['batch_ms_p99']} | {s['batch_ms_max']} "
                f"| {s['errors']} | {s['heartbeat_ms_p99']} |"
            )
    sustained = "\n".join(
        f"| {r['backend']} | {r['server_processes']} | {r['sustained']['stations']} "
        f"| {r['sustained']['seconds']:.0f} | {r['sustained']['observations_per_second']} "
        f"| {r['sustained']['batch_ms_p50']} | {r['sustained']['batch_ms_p99']} "
        f"| {r['sustained']['errors']} | {r['most_stations_at_p99_100ms']} "
        f"| {r['pause_under_load'].get('delivered_ms_p50')} "
        f"| {r['pause_under_load'].get('delivered_ms_max')} "
        f"| {r['pause_under_load'].get('signed_ms_p50', '-')} "
        f"| {r['pause_under_load'].get('signed_ms_max', '-')} |"
        for r in payload["results"]
    )
    table = "\n".join(lines)
    return f"""# Venue-scale ingest (open loop)

{heading(payload)}

Each station sends a batch of {payload["batch"]} observations every {payload["interval"]} s on its
own schedule (a random phase), and its heartbeat every {payload["heartbeat"]} s, as the agent does
(0: none); a batch's latency counts from when it was due,
so time spent waiting behind a slow server counts. The load generator (aiohttp on uvloop, one
process) runs on the same 2 cores as the server(s). SQLite: one `proctor serve`; PostgreSQL: as many
`proctor serve` processes as the processes column says, on ports of their own sharing the
database, as machines behind a load balancer would, stations spread over them.
Figure: the `.png` of the same name.

## Sweep

| backend | processes | stations | offered obs/s | stored obs/s | batch p50 ms | p99 | max | errors | heartbeat p99 ms |
|---|---|---|---|---|---|---|---|---|---|
{table}

## Sustained, with pauses decided under that load

Pause delivery: from sending a mismatching batch to the station's event stream showing the pause
(on PostgreSQL the stream held by one process, the batch posted to the other). Head signed:
from sending that batch until a signed audit head covers the pause's records (runs of the
benchmark before the signed heads existed show none).

| backend | processes | stations | seconds | obs/s | batch p50 ms | p99 | errors | most stations at p99 <= 100 ms (sweep) | pause on stream p50 ms | max | head signed p50 ms | max |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
{sustained}
"""


if __name__ == "__main__":
    app()
