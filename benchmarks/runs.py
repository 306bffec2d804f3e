"""What the service benchmarks share: a fresh database per backend, and results written with
the date, the machine and the command that produced them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from machine import machine

from tests.support.seed import postgres_schema

RESULTS = Path(__file__).resolve().parent / "results"


@contextmanager
def database(backend: str, postgres: str, workdir: Path) -> Iterator[str]:
    """A SQLite file in `workdir`, or a PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    with postgres_schema(postgres) as url:
        yield url


def provenance(script: str) -> dict[str, object]:
    return {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": machine(),
        "command": " ".join([f"python benchmarks/{script}", *sys.argv[1:]]),
    }


def heading(payload: dict) -> str:
    """The results' provenance line: date, machine and the command that made them."""
    m = payload["machine"]
    return (
        f"Date {payload['date']}. Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']},\n"
        f"{m['platform']}. Command: `{payload['command']}`."
    )


def save(name: str, payload: dict, markdown: str) -> None:
    """results/<name>.json and results/<name>.md."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown)
