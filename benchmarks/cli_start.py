"""How long the commands people run often take from start to exit (target: 0.5 s on the
project's 2-core machine), on a SQLite database already at the newest revision.

    python benchmarks/cli_start.py [--runs 15]

Writes benchmarks/results/cli_start.{json,md}.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support
from runs import heading, provenance, save

COMMANDS = (
    ["--help"],
    ["token", "create", "--role", "admin"],
    ["audit", "verify"],
    ["complaints", "overdue"],
)
app = typer.Typer(add_completion=False)


@app.command()
def main(runs: Annotated[int, typer.Option(min=3)] = 15) -> None:
    from tests.support.database import migrate

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = migrate(f"sqlite:///{Path(tmp) / 'p.db'}")
        env = {**os.environ, "PROCTOR_DATABASE_URL": url, "PROCTOR_DATA_DIR": tmp}
        proctor = str(Path(sys.executable).with_name("proctor"))
        for args in COMMANDS:
            seconds = []
            for _ in range(runs):
                started = time.perf_counter()
                subprocess.run([proctor, *args], env=env, capture_output=True, check=False)
                seconds.append(time.perf_counter() - started)
            rows.append({"command": "proctor " + " ".join(args),
                         "median_s": round(statistics.median(seconds), 3),
                         "max_s": round(max(seconds), 3)})  # fmt: skip
            typer.echo(rows[-1], err=True)
    payload = {**provenance("cli_start.py"), "runs": runs, "results": rows}
    save("cli_start", payload, report(payload))
    typer.echo(report(payload))


def report(payload: dict) -> str:
    lines = "\n".join(
        f"| `{r['command']}` | {r['median_s']:.3f} | {r['max_s']:.3f} |" for r in payload["results"]
    )
    return f"""# Command start times

{heading(payload)}

From start to exit, {payload["runs"]} runs each, on a SQLite database at the newest revision
(target 0.5 s). They load no face engine, OpenCV, onnxruntime, NumPy or Alembic
(`tests/cli/test_light_commands.py`).

| command | median s | max s |
|---|---|---|
{lines}
"""


if __name__ == "__main__":
    app()
