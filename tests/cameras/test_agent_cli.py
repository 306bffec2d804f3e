"""`proctor agent` fails clearly: a bad source exits 2, a refused token exits 3."""

from __future__ import annotations

import subprocess
import sys

import cv2
import numpy as np

from proctor.api.app import create_app
from tests.support.database import migrate
from tests.support.live import threaded_server
from tests.support.runtime_only import run_proctor
from tests.support.world import FakeReader, service_settings


def run_agent(*args: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "proctor.cli", "agent", "--outbox", str(tmp_path / "o.db"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_unknown_source_exits_2(tmp_path):
    done = run_agent(
        "--server", "http://127.0.0.1:9", "--station", "s", "--token", "t",
        "--source", str(tmp_path / "nothing-here"), tmp_path=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert "error [source_invalid]" in done.stderr


def test_a_refused_token_stops_the_agent_with_status_3(tmp_path):
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app(service_settings(url, tmp_path), reader=FakeReader())
    frames = tmp_path / "frames"
    frames.mkdir()
    for i in range(50):  # five seconds at the folder's 10 frames a second: outlasts the refusal
        cv2.imwrite(str(frames / f"{i:03d}.png"), np.full((48, 64, 3), 128, np.uint8))
    with threaded_server(app) as base:
        done = run_agent(
            "--server", base, "--station", "00000000-0000-0000-0000-000000000000",
            "--token", "prt_not-a-real-token", "--source", str(frames), tmp_path=tmp_path,
        )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "token was refused" in done.stderr


def test_the_agent_runs_from_an_install_without_extras(tmp_path):
    """As on a station set up with `pip install proctor`: only run-time dependencies import."""
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app(service_settings(url, tmp_path), reader=FakeReader())
    frames = tmp_path / "frames"
    frames.mkdir()
    for i in range(50):
        cv2.imwrite(str(frames / f"{i:03d}.png"), np.full((48, 64, 3), 128, np.uint8))
    with threaded_server(app) as base:
        done = run_proctor(
            "agent", "--outbox", str(tmp_path / "o.db"), "--server", base,
            "--station", "00000000-0000-0000-0000-000000000000",
            "--token", "prt_not-a-real-token", "--source", str(frames),
        )  # fmt: skip
    assert "not a run-time dependency" not in done.stderr, done.stderr
    assert done.returncode == 3 and "token was refused" in done.stderr  # it reached the server
