"""The commands people run often load no face engine, OpenCV, onnxruntime, NumPy or Alembic
(a database already at the newest revision is only read): what keeps them quick to start
(timed in benchmarks/cli_start.py, never here)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.database import migrate

HEAVY = ("cv2", "onnxruntime", "numpy", "alembic", "usearch", "proctor.models")


def imported(args: list[str], env: dict[str, str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "proctor.cli", *args],
        capture_output=True, text=True, timeout=120, check=False, env={**os.environ, **env},
    )  # fmt: skip
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert lines, done.stderr
    return {line.rsplit("|", 1)[1].strip() for line in lines}


@pytest.mark.parametrize(
    "args",
    [["--help"], ["token", "create", "--role", "admin"], ["audit", "verify"],
     ["complaints", "overdue"]],
)  # fmt: skip
def test_frequent_commands_load_nothing_heavy(args, tmp_path):
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    modules = imported(args, {"PROCTOR_DATABASE_URL": url, "PROCTOR_DATA_DIR": str(tmp_path)})
    heavy = {m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY)}
    assert not heavy, heavy
    if args != ["--help"]:
        assert "sqlalchemy" in modules  # the command did run against the database
