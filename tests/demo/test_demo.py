"""`proctor demo`: the whole flow with simulated stations, and a clear word when it has no
photos to make its clips from."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from proctor.cli.demo import PHOTOS_ENV, photos_folder
from proctor.demo.cast import people_in, photo_root
from proctor.errors import InputFileError
from tests.support.live import free_port


def test_a_missing_folder_asked_for_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # ../shared/faces/lfw_view1 does not exist from here
    monkeypatch.delenv(PHOTOS_ENV, raising=False)
    assert photos_folder(None) is None  # nothing asked for, nothing there: service only
    monkeypatch.setenv(PHOTOS_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(InputFileError, match="nowhere does not exist") as missing:
        photos_folder(None)
    assert "--photos DIR" in missing.value.message and PHOTOS_ENV in missing.value.message
    (tmp_path / "mine").mkdir()
    assert photos_folder(tmp_path / "mine") == tmp_path / "mine"  # the option wins


def demo_command(tmp_path, *args: str, env: dict[str, str] | None = None, cwd=None):
    env = {**os.environ, **(env or {}), "PROCTOR_DATA_DIR": str(tmp_path / "data")}
    env.pop("PROCTOR_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "proctor.cli", "demo", "--port", str(free_port()), *args],
        capture_output=True, text=True, timeout=300, check=False, env=env, cwd=cwd,
    )  # fmt: skip


def test_the_cli_exits_2_for_a_folder_that_is_not_there(tmp_path):
    done = demo_command(tmp_path, "--photos", str(tmp_path / "none"))
    assert done.returncode == 2
    assert "error [file_not_found]" in done.stderr and "one sub-folder" in done.stderr


def test_without_photos_the_service_still_runs_and_says_what_to_do(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = demo_command(tmp_path, "--run-for", "2", cwd=outside)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "without simulated stations" in done.stderr and PHOTOS_ENV in done.stderr
    assert "/console  (API: " in done.stdout and "check-in" not in done.stdout
    for who in ("username pengawas ", "username pengawas2", "username panitia", "admin token"):
        assert who in done.stdout
    database = tmp_path / "data" / "demo" / "demo.db"
    assert f"PROCTOR_DATABASE_URL=sqlite:///{database}" in done.stdout


def test_a_port_in_use_stops_the_demo_with_a_word_not_a_traceback(tmp_path):
    import socket

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = demo_command(tmp_path, "--port", port, "--run-for", "2", cwd=outside)
    assert done.returncode == 1
    assert f"could not start on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr


def test_people_are_sub_folders_of_photos(tmp_path):
    for person, count in (("Ana", 2), ("Budi", 1)):
        (tmp_path / "images" / person).mkdir(parents=True)
        for i in range(count):
            (tmp_path / "images" / person / f"{i}.jpg").write_bytes(b"x")
    (tmp_path / "images" / "Ana" / "notes.txt").write_text("not a photo")
    (tmp_path / "images" / "Empty").mkdir()
    root = photo_root(tmp_path)
    assert root == tmp_path / "images"
    people = people_in(root)
    assert {k: [p.name for p in v] for k, v in people.items()} == {
        "Ana": ["0.jpg", "1.jpg"],
        "Budi": ["0.jpg"],
    }


@pytest.mark.lfw
def test_the_demo_pauses_the_proxy_and_files_an_incident(lfw_root, tmp_path):
    done = demo_command(tmp_path, "--photos", str(lfw_root), "--stations", "2", "--run-for", "30")
    out = done.stdout
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    seated = [line for line in out.splitlines() if "check-in" in line]
    assert len(seated) == 2 and all("check-in match" in s and "in_progress" in s for s in seated)
    assert "a proxy takes the seat" in seated[0]
    assert any("PC-01" in line and "exam PAUSED" in line for line in out.splitlines())
    assert "incident filed (face_mismatch)" in out and "/console/incidents/" in out
    assert not any("PC-02" in line and "PAUSED" in line for line in out.splitlines())

    with sqlite3.connect(Path(tmp_path / "data" / "demo" / "demo.db")) as db:
        states = dict(
            db.execute(
                "SELECT s.code, a.state FROM attempts a JOIN stations s ON s.id = a.station_id"
            ).fetchall()
        )
        incidents = db.execute("SELECT reason FROM incidents").fetchall()
    assert states == {"PC-01": "paused", "PC-02": "in_progress"}
    assert incidents == [("face_mismatch",)]
