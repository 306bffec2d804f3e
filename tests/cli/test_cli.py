from __future__ import annotations

import csv
import json

import pytest
from PIL import Image
from typer.testing import CliRunner

from proctor.cli.main import app
from tests.support.sealing import sealed_sessions

runner = CliRunner()
SAME = (
    "images/Aaron_Peirsol/Aaron_Peirsol_0001.jpg",
    "images/Aaron_Peirsol/Aaron_Peirsol_0002.jpg",
)


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "verify" in result.output and "pairs" in result.output


def test_verify_json(lfw_root):
    result = runner.invoke(
        app, ["verify", str(lfw_root / SAME[0]), str(lfw_root / SAME[1]), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["engine"] == "sface"
    assert payload["same_person"] is True
    assert payload["score"] >= payload["threshold"]
    assert [p["face_found"] for p in payload["photos"]] == [True, True]
    assert "reasons" in payload["photos"][0]["quality"]


def test_verify_text_shows_reasons_in_both_languages(lfw_root, tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("RGB", (64, 64), (127, 127, 127)).save(blank)
    result = runner.invoke(app, ["verify", str(lfw_root / SAME[0]), str(blank)])
    assert result.exit_code == 0, result.output
    assert "NOT THE SAME PERSON" in result.output
    assert "Wajah tidak terdeteksi." in result.output and "No face was found." in result.output


@pytest.mark.parametrize(
    ("content", "code"), [(b"", "image_empty"), (b"GIF89a junk", "image_unreadable")]
)
def test_verify_bad_file_is_a_clean_error(tmp_path, content, code, lfw_root):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(content)
    result = runner.invoke(app, ["verify", str(bad), str(lfw_root / SAME[0]), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["error"]["code"] == code


def test_verify_unknown_engine(tmp_path):
    result = runner.invoke(app, ["verify", "a.jpg", "b.jpg", "--engine", "nope"])
    assert result.exit_code == 2
    assert "engine_unknown" in result.output


def test_pairs_command(lfw_root, tmp_path):
    pairs = tmp_path / "pairs.csv"
    with pairs.open("w", newline="") as f:
        csv.writer(f).writerows(
            [["path1", "path2"], list(SAME), [SAME[0], "images/AJ_Cook/AJ_Cook_0001.jpg"]]
        )
    out = tmp_path / "scores.csv"
    # two workers: the engines are built in the worker processes from the configuration
    result = runner.invoke(
        app, ["pairs", str(pairs), "--root", str(lfw_root), "--out", str(out), "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "2 pairs, 3 photos: 1 match" in result.output
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["decision"] for r in rows] == ["match", "no_match"]


def test_pairs_command_with_a_bad_csv(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\n1,2\n")
    result = runner.invoke(
        app, ["pairs", str(pairs), "--root", str(tmp_path), "--out", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 2
    assert "pairs_file_invalid" in result.output


def test_errors_of_service_commands_exit_2_with_their_code(tmp_path):
    import subprocess
    import sys

    env = {"PROCTOR_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "proctor.cli", "token", "create", "--role", "wizard"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert "error [request_invalid]: unknown role 'wizard'" in result.stderr


def test_token_create_prints_a_token_once_and_stores_its_digest(tmp_path, monkeypatch):
    from sqlalchemy import select

    from proctor.access.tokens import digest
    from proctor.store.access import ApiToken
    from proctor.store.database import make_engine

    monkeypatch.setenv("PROCTOR_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PROCTOR_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["token", "create", "--role", "committee"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[0]
    assert secret.startswith("prt_") and len(secret) > 40
    engine = make_engine(f"sqlite:///{tmp_path / 'proctor.db'}")
    with sealed_sessions(engine)() as session:
        (stored,) = session.scalars(select(ApiToken.token_sha256))
    engine.dispose()
    assert stored == digest(secret)
