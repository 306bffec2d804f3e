"""CPU each batch of observations costs, per part of the deployment, at a fixed open-loop load.

    python benchmarks/ingest_cpu.py [--stations 300] [--runs 2]

Latency under load swings by tens of percent from run to run on a shared 2-core machine; the
CPU a batch costs does not, so this is the figure to compare changes of the ingest path by. Each
run starts `ingest_load.py` on PostgreSQL (two `proctor serve` processes, stations sending a
batch of 8 every 4 s) and, 10 s into its step, reads from /proc for 30 s the CPU time of the
PostgreSQL processes (with the backends the postmaster reaped), of the servers and of the load
generator. Writes benchmarks/results/ingest_cpu.{json,md}.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.seed
from runs import heading, provenance, save

BATCH, INTERVAL, HEARTBEAT = 8, 4.0, 10.0  # ingest_load.py's defaults, the agent's
TICK = os.sysconf("SC_CLK_TCK")
app = typer.Typer(add_completion=False)


def _cpu_by_part() -> dict[str, float]:
    """Seconds of CPU used so far by PostgreSQL, the servers and the load generator."""
    out = {"postgres": 0.0, "servers": 0.0, "generator": 0.0}
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            command = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (process / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        used = (int(fields[11]) + int(fields[12])) / TICK
        if command.startswith("postgres") or "/bin/postgres " in command:
            out["postgres"] += used
            if "/bin/postgres " in command:  # the postmaster: its reaped backends' CPU too
                out["postgres"] += (int(fields[13]) + int(fields[14])) / TICK
        elif "proctor.cli serve" in command:
            out["servers"] += used
        elif "ingest_load.py" in command:
            out["generator"] += used
    return out


def one_run(stations: int, seconds: float) -> dict:
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "load.log"
        command = [
            sys.executable, str(here / "ingest_load.py"), "--no-sqlite",
            "--stations", str(stations), "--step-seconds", str(seconds + 20),
            "--sustain-stations", "10", "--sustain-seconds", "10", "--pauses", "1",
            "--out", "ingest_cpu_scratch",
        ]  # fmt: skip
        with log.open("w") as out:
            load = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        try:
            while f"postgresql: {stations} stations" not in log.read_text():
                if load.poll() is not None:
                    raise RuntimeError(log.read_text()[-2000:])
                time.sleep(0.5)
            time.sleep(10)
            before, began = _cpu_by_part(), time.monotonic()
            time.sleep(seconds)
            after, ended = _cpu_by_part(), time.monotonic()
        finally:
            load.wait(timeout=600)
            for suffix in ("json", "md", "png"):
                (here / "results" / f"ingest_cpu_scratch.{suffix}").unlink(missing_ok=True)
    batches = stations / INTERVAL * (ended - began)
    return {part: round(1000 * (after[part] - before[part]) / batches, 2) for part in before}


@app.command()
def main(
    stations: Annotated[int, typer.Option(min=1, help="Stations sending at once.")] = 300,
    seconds: Annotated[float, typer.Option(min=5, help="Seconds measured per run.")] = 30,
    runs: Annotated[int, typer.Option(min=1, help="Runs, reported each and averaged.")] = 2,
) -> None:
    results = []
    for _ in range(runs):
        results.append(one_run(stations, seconds))
        typer.echo(f"ms of CPU per batch: {results[-1]}", err=True)
    mean = {p: round(sum(r[p] for r in results) / len(results), 2) for p in results[0]}
    payload = {**provenance("ingest_cpu.py"), "stations": stations, "batch": BATCH,
               "interval": INTERVAL, "heartbeat": HEARTBEAT, "seconds": seconds, "runs": results,
               "mean": mean}  # fmt: skip
    save("ingest_cpu", payload, report(payload))
    typer.echo(report(payload))


def report(payload: dict) -> str:
    rows = "\n".join(
        f"| {i} | {r['servers']} | {r['postgres']} | {r['generator']} |"
        for i, r in enumerate(payload["runs"], 1)
    )
    mean = payload["mean"]
    return f"""# CPU per batch of observations

{heading(payload)}

PostgreSQL, two `proctor serve` processes; {payload["stations"]} stations each sending a batch of
{payload["batch"]} observations every {payload["interval"]:.0f} s and a heartbeat every \
{payload.get("heartbeat", 10):.0f} s (open loop); milliseconds of CPU per batch, its share of the
heartbeats included, read from /proc over {payload["seconds"]:.0f} s of the step. This host's
speed swings between runs: the load generator's figure, whose code is the same in both tables,
shows by how much.

| run | servers | PostgreSQL | load generator |
|---|---|---|---|
{rows}
| mean | {mean["servers"]} | {mean["postgres"]} | {mean["generator"]} |
{_before(payload)}"""


def _before(payload: dict) -> str:
    """The same measured on an earlier commit, where a results file records it."""
    before = payload.get("before")
    if not before:
        return ""
    rows = "\n".join(
        f"| {i} | {r['servers']} | {r['postgres']} | {r['generator']} |"
        for i, r in enumerate(before["runs"], 1)
    )
    m = before["mean"]
    return f"""
Before {before["change"]} (commit {before["commit"]}, same machine and command):

| run | servers | PostgreSQL | load generator |
|---|---|---|---|
{rows}
| mean | {m["servers"]} | {m["postgres"]} | {m["generator"]} |
"""


if __name__ == "__main__":
    app()
