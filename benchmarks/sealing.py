"""What sealing biometric data costs: sealing and opening one image (snapshot and photo sizes)
and one template, and opening every template of a registry as its first build from the database
does. Compared with the CPU a batch of observations costs the servers (`ingest_cpu.md`)."""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support, for runs
from runs import heading, provenance, save

from proctor.sealing.envelope import Keyring, Sealed, place, seal, unseal
from proctor.sealing.master_key import new_key

SIZES = {"snapshot (20 KiB)": 20 * 1024, "registration photo (150 KiB)": 150 * 1024,
         "template (128 floats)": 512}  # fmt: skip


def _per_call_us(work, repeat: int) -> list[float]:
    """Microseconds per call, five rounds of `repeat` calls."""
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeat):
            work()
        rounds.append(1e6 * (time.perf_counter() - started) / repeat)
    return rounds


def main(
    repeat: Annotated[int, typer.Option(min=100, help="Calls per round.")] = 2000,
    templates: Annotated[int, typer.Option(min=1000, help="Templates opened in a row.")] = 100_000,
) -> None:
    keyring = Keyring(new_key())
    rng = np.random.default_rng(5)
    rows = []
    for name, size in SIZES.items():
        plain = rng.bytes(size)
        where = place("blobs", uuid.uuid4())
        sealed = seal(keyring, plain, where)
        sealing = _per_call_us(lambda p=plain, w=where: seal(keyring, p, w), repeat)
        opening = _per_call_us(lambda s=sealed, w=where: unseal(keyring, s, w), repeat)
        rows.append({"value": name, "bytes": size, "seal_us": round(statistics.median(sealing), 1),
                     "open_us": round(statistics.median(opening), 1)})  # fmt: skip
    batch = []
    for _ in range(templates):
        where = place("registration_photos", uuid.uuid4())
        batch.append((seal(keyring, rng.bytes(512), where), where))
    started = time.perf_counter()
    for sealed, where in batch:
        unseal(keyring, Sealed(sealed.data, sealed.key), where)
    per_million = (time.perf_counter() - started) * 1_000_000 / templates
    payload = {**provenance("sealing.py"), "repeat": repeat, "values": rows,
               "templates": templates,
               "open_million_templates_s": round(per_million, 1)}  # fmt: skip
    save("sealing", payload, report(payload))
    typer.echo(report(payload))


def report(payload: dict) -> str:
    rows = "\n".join(
        f"| {r['value']} | {r['seal_us']} | {r['open_us']} |" for r in payload["values"]
    )
    return f"""# Sealing biometric data

{heading(payload)}

XChaCha20-Poly1305 (PyNaCl) with a fresh data key per value, wrapped by the master key; median
of five rounds of {payload["repeat"]} calls, one core.

| value | seal µs | open µs |
|---|---|---|
{rows}

Opening {payload["templates"]:,} templates in a row (the registry's first build from the database
opens every one): {payload["open_million_templates_s"]} s per million.

A snapshot travels with an anomalous observation only; sealing one costs the figure above against
about 10.6 ms of server CPU per batch of 8 observations (`ingest_cpu.md`, same machine kind).
"""


if __name__ == "__main__":
    typer.run(main)
