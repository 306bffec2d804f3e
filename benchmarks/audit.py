"""Audit chain verification at scale: how long `proctor audit verify` takes and how much memory
it holds, over a chain of N records.

    python benchmarks/audit.py [--records 200000] [--postgres postgresql+psycopg://...]

For each backend it fills a fresh database (SQLite file; PostgreSQL schema, dropped after) with
a valid chain of records shaped like the service's (pauses, decisions, logins: small JSON
details) and one signed checkpoint, then runs the verification in a fresh process and records
its wall time and its peak resident memory above the process's size before verifying. Writes
benchmarks/results/audit.{json,md}.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from nacl.signing import SigningKey
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.seed
from runs import database, provenance, save

from proctor.audit.chain import sign_checkpoint, verify
from proctor.audit.hashing import GENESIS, hash_of
from proctor.store.audit import AuditRecord
from proctor.store.database import make_engine, make_sessionmaker
from proctor.store.migrate import upgrade

CHUNK = 5000
app = typer.Typer(add_completion=False)

SHAPES = [
    ("station:9b1f", "attempt.paused", "attempt", {"reason": "face_mismatch", "seq": 41,
                                                   "scores": [0.12, 0.09, 0.15]}),
    ("proctor:3c2e", "incident.review_started", "incident", {"reason": "taking this one up"}),
    ("proctor:77aa", "console.login", "console", {"role": "proctor"}),
    ("admin", "attempt.checked_in", "attempt", {"checkpoint": "5d1c", "score": 0.71}),
]  # fmt: skip


def fill(url: str, records: int) -> None:
    """A valid chain of `records` records and a signed checkpoint of its head."""
    engine = make_engine(url)
    upgrade(engine)
    start = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    previous = GENESIS
    try:
        with make_sessionmaker(engine)() as session:
            for first in tqdm(range(1, records + 1, CHUNK), desc="fill", unit_scale=CHUNK):
                rows = []
                for rid in range(first, min(first + CHUNK, records + 1)):
                    actor, action, kind, details = SHAPES[rid % len(SHAPES)]
                    row = {"id": rid, "at": start + timedelta(seconds=rid), "actor": actor,
                           "action": action, "subject_type": kind,
                           "subject_id": f"{rid:032x}", "details": details}  # fmt: skip
                    row["hash"] = hash_of(row, prev_hash=previous)
                    row["prev_hash"], previous = previous, row["hash"]
                    rows.append(row)
                session.bulk_insert_mappings(AuditRecord, rows)
                session.commit()
            sign_checkpoint(session, SigningKey.generate())
            session.commit()
    finally:
        engine.dispose()


def _verify_in_child(url: str, out: multiprocessing.Queue) -> None:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        session.execute(AuditRecord.__table__.select().limit(1)).all()  # connected, warm
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        began = time.perf_counter()
        verdict = verify(session)
        seconds = time.perf_counter() - began
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # A second, traced pass: the peak of what Python allocated (slower, so not timed).
        tracemalloc.start()
        verify(session)
        traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    engine.dispose()
    out.put({"ok": verdict.ok, "records": verdict.records, "seconds": round(seconds, 2),
             "rss_growth_mib": round((peak - before) / 1024, 1),
             "python_peak_mib": round(traced / 2**20, 1)})  # fmt: skip


def measure(url: str) -> dict:
    spawn = multiprocessing.get_context("spawn")
    out = spawn.Queue()
    child = spawn.Process(target=_verify_in_child, args=(url, out))
    child.start()
    result = out.get(timeout=3600)
    child.join()
    return result


@app.command()
def main(
    records: Annotated[int, typer.Option(min=1, help="Records in the chain.")] = 200_000,
    postgres: Annotated[
        str, typer.Option(help="PostgreSQL server URL; empty to skip.")
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/test",
) -> None:
    backends = ["sqlite", "postgresql"] if postgres else ["sqlite"]
    results = []
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp, database(backend, postgres, Path(tmp)) as url:
            fill(url, records)
            result = measure(url)
            assert result["ok"] and result["records"] == records, result
            result["records_per_second"] = round(records / result["seconds"])
            results.append({"backend": backend, **result})
            typer.echo(f"{backend}: {result}", err=True)
    payload = {**provenance("audit.py"), "results": results}
    save("audit", payload, report(payload))
    typer.echo(report(payload))


def report(payload: dict) -> str:
    m = payload["machine"]
    rows = "\n".join(
        f"| {r['backend']} | {r['records']} | {r['seconds']} | {r['records_per_second']} "
        f"| {r['python_peak_mib']} | {r['rss_growth_mib']} |"
        for r in payload["results"]
    )
    return f"""# Audit chain verification benchmark

Date {payload["date"]}. Machine: {m["cpu"]}, {m["cores"]} cores, Python {m["python"]},
{m["platform"]}. Command: `{payload["command"]}`.

A full `verify` (every record's hash and link, then the latest signed checkpoint) in a fresh
process. Memory: the peak of what Python allocated while verifying (tracemalloc, a second
pass), and how far the process's peak resident size grew above its size before verifying.

| backend | records | seconds | records/s | Python peak MiB | RSS growth MiB |
|---|---|---|---|---|---|
{rows}
"""


if __name__ == "__main__":
    app()
