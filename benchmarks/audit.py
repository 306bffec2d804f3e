"""The audit log at scale.

    python benchmarks/audit.py verify [--records 200000] [--postgres postgresql+psycopg://...]
    python benchmarks/audit.py proofs [--leaves 10000000] [--proofs 1000]

`verify`: for each backend it fills a fresh database (SQLite file; PostgreSQL schema, dropped
after) with a valid chain of records shaped like the service's (pauses, decisions, logins: small
JSON details), grows the Merkle tree over them and signs one head (timed), then runs the
verification in a fresh process and records its wall time and its peak resident memory above
the process's size before verifying. Writes benchmarks/results/audit.{json,md}.

`proofs`: a stored tree of N leaves in SQLite (random leaf hashes: the proofs read only the
tree, never the records), then inclusion and consistency proofs as the API serves them, each
verified. Writes benchmarks/results/audit_proofs.{json,md}.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from nacl.signing import SigningKey
from sqlalchemy import text
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.seed
from runs import database, heading, provenance, save

from proctor.audit import trail
from proctor.audit.chain import verify
from proctor.audit.hashing import GENESIS, hash_of
from proctor.audit.heads import sign_head
from proctor.audit.merkle import Frontier, verify_consistency, verify_inclusion
from proctor.audit.tree import answer, leaf_at
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


def fill(url: str, records: int) -> float:
    """A valid chain of `records` records and a signed head over it; returns the seconds the
    first head took (growing the tree over every record, then signing)."""
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
            if session.get_bind().dialect.name == "postgresql":  # ids were given: move on
                session.execute(text("SELECT setval(pg_get_serial_sequence('audit_records', "
                                     "'id'), (SELECT max(id) FROM audit_records))"))  # fmt: skip
            began = time.perf_counter()
            sign_head(session, SigningKey.generate())
            session.commit()
            return time.perf_counter() - began
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


@app.command("verify")
def verify_command(
    records: Annotated[int, typer.Option(min=1, help="Records in the chain.")] = 200_000,
    postgres: Annotated[
        str, typer.Option(help="PostgreSQL server URL; empty to skip.")
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/test",
) -> None:
    backends = ["sqlite", "postgresql"] if postgres else ["sqlite"]
    results = []
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp, database(backend, postgres, Path(tmp)) as url:
            first_head = fill(url, records)
            result = measure(url)
            result["first_head_seconds"] = round(first_head, 2)
            assert result["ok"] and result["records"] == records, result
            result["records_per_second"] = round(records / result["seconds"])
            results.append({"backend": backend, **result})
            typer.echo(f"{backend}: {result}", err=True)
    payload = {**provenance("audit.py"), "results": results}
    save("audit", payload, report(payload))
    typer.echo(report(payload))


def report(payload: dict) -> str:
    rows = "\n".join(
        f"| {r['backend']} | {r['records']} | {r['seconds']} | {r['records_per_second']} "
        f"| {r['python_peak_mib']} | {r['rss_growth_mib']} | {r.get('first_head_seconds', '-')} |"
        for r in payload["results"]
    )
    return f"""# Audit log verification benchmark

{heading(payload)}

A full `verify` (every record's hash and link, the Merkle tree recomputed from the records,
then the latest signed head) in a fresh process. Memory: the peak of what Python allocated
while verifying (tracemalloc, a second pass), and how far the process's peak resident size grew
above its size before verifying. First head: growing the stored tree over every record at once
and signing (as after the upgrade that added the tree; afterwards each head covers the records
of the last half second).

| backend | records | seconds | records/s | Python peak MiB | RSS growth MiB | first head s |
|---|---|---|---|---|---|---|
{rows}
"""


def _grow_random(url: str, leaves: int, seed: int = 3) -> bytes:
    """A stored tree of `leaves` random leaf hashes (no records); returns its root."""
    rng = random.Random(seed)
    tree = Frontier()
    engine = make_engine(url)
    upgrade(engine)
    rows: list[tuple] = []
    statement = "INSERT INTO audit_tree_nodes (level, position, hash) VALUES (?, ?, ?)"
    with engine.begin() as connection:
        for _ in tqdm(range(leaves), desc="tree", unit_scale=True, mininterval=10):
            for level, index, digest in tree.append(rng.randbytes(32)):
                rows.append((level, index, digest.hex()))
            if len(rows) >= 200_000:
                connection.exec_driver_sql(statement, rows)
                rows = []
        if rows:
            connection.exec_driver_sql(statement, rows)
    engine.dispose()
    return tree.root()


@app.command("round")
def round_command(
    records: Annotated[int, typer.Option(min=1, help="Records in the log.")] = 200_000,
    rounds: Annotated[int, typer.Option(min=1, help="Head rounds of each kind.")] = 500,
    postgres: Annotated[
        str, typer.Option(help="PostgreSQL server URL; empty to skip.")
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/test",
) -> None:
    """What the service's head round costs: a quiet round (nothing new: two indexed reads) and
    a round that signs (5 new records: grow the tree, sign, commit), in a log of `records`."""
    from proctor.api.chain_watch import sign_new

    backends = ["sqlite", "postgresql"] if postgres else ["sqlite"]
    key = SigningKey.generate()
    results = []
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp, database(backend, postgres, Path(tmp)) as url:
            fill(url, records)
            engine = make_engine(url)
            sessions = make_sessionmaker(engine)
            quiet, signing = [], []
            for i in range(rounds):
                began = time.perf_counter()
                assert not sign_new(sessions, key)
                quiet.append(time.perf_counter() - began)
                with sessions() as session:
                    for j in range(5):
                        trail.record(session, actor="bench", action="attempt.paused",
                                     subject_type="attempt", subject_id=f"{i}-{j}")  # fmt: skip
                    session.commit()
                began = time.perf_counter()
                assert sign_new(sessions, key)
                signing.append(time.perf_counter() - began)
            engine.dispose()
        row = {"backend": backend, "quiet": _timed(quiet), "signing": _timed(signing)}
        results.append(row)
        typer.echo(f"{backend}: {row}", err=True)
    payload = {**provenance("audit.py"), "records": records, "rounds": rounds,
               "results": results}  # fmt: skip
    save("audit_round", payload, round_report(payload))
    typer.echo(round_report(payload))


def round_report(payload: dict) -> str:
    rows = "\n".join(
        f"| {r['backend']} | {r['quiet']['median_ms']} ms | {r['quiet']['p99_ms']} ms "
        f"| {r['signing']['median_ms']} ms | {r['signing']['p99_ms']} ms "
        f"| {2 * r['quiet']['median_ms'] / 10:.2f} % |"
        for r in payload["results"]
    )
    return f"""# Audit head round benchmark

{heading(payload)}

The service's head round (`proctor.api.chain_watch.sign_new`, every 0.5 s in each server
process) over a log of {payload["records"]:,} records, {payload["rounds"]} rounds of each kind: a
quiet round finds nothing new (what every round costs under observation load, which writes no
audit records); a signing round covers 5 new records (grows the tree, signs, commits). Share of
one core: a quiet round's median twice a second.

| backend | quiet round median | p99 | signing round median | p99 | quiet rounds: one core's |
|---|---|---|---|---|---|
{rows}
"""


def _timed(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 3),
    }


@app.command("proofs")
def proofs_command(
    leaves: Annotated[int, typer.Option(min=2, help="Leaves in the stored tree.")] = 10_000_000,
    proofs: Annotated[int, typer.Option(min=1, help="Proofs of each kind.")] = 1000,
) -> None:
    """Inclusion and consistency proofs out of a stored tree of `leaves` leaves (SQLite)."""
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'tree.db'}"
        began = time.perf_counter()
        root = _grow_random(url, leaves)
        build = time.perf_counter() - began
        engine = make_engine(url)
        timings: dict[str, list[float]] = {"inclusion": [], "consistency": []}
        with make_sessionmaker(engine)() as session:
            for _ in range(proofs):
                index = rng.randrange(leaves)
                leaf = leaf_at(session, index)
                began = time.perf_counter()
                path = answer(session, leaves, lambda tree, i=index: tree.inclusion(i))
                timings["inclusion"].append(time.perf_counter() - began)
                assert verify_inclusion(leaf, index, leaves, path, root)
                first = rng.randrange(1, leaves)
                began = time.perf_counter()
                proof, old_root = answer(
                    session, leaves, lambda tree, f=first: (tree.consistency(f), tree.root(f))
                )
                timings["consistency"].append(time.perf_counter() - began)
                assert verify_consistency(first, leaves, old_root, root, proof)
            assert answer(session, leaves, lambda tree: tree.root()) == root
        engine.dispose()
    payload = {
        **provenance("audit.py"),
        "leaves": leaves, "proofs": proofs, "build_seconds": round(build, 1),
        **{kind: _timed(samples) for kind, samples in timings.items()},
    }  # fmt: skip
    save("audit_proofs", payload, proofs_report(payload))
    typer.echo(proofs_report(payload))


def _proof_row(label: str, payload: dict, kind: str) -> str:
    t = payload[kind]
    return f"| {label} | {payload['proofs']} | {t['median_ms']} ms | {t['p99_ms']} ms |"


def proofs_report(payload: dict) -> str:
    return f"""# Audit log proofs benchmark

{heading(payload)}

A stored Merkle tree of {payload["leaves"]:,} leaves in SQLite (random leaf hashes: proofs read
only the tree's nodes, never the records), built in {payload["build_seconds"]} s. Each proof is
made as the API makes it (`proctor.audit.tree.answer`: the nodes it needs read in one query,
no cache between proofs) and verified against the root (RFC 9162 verification, not timed). The
consistency proof's time includes the old tree's root.

| proof | proofs | median | p99 |
|---|---|---|---|
{_proof_row("inclusion (random leaf, whole tree)", payload, "inclusion")}
{_proof_row("consistency (random older size to the whole tree)", payload, "consistency")}
"""


if __name__ == "__main__":
    app()
