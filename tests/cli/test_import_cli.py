"""`proctor import`: bulk enrollment from a CSV and a photo folder, safe to run again."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from proctor.cli.main import app
from proctor.store.database import make_engine
from proctor.store.exam import Candidate, DuplicateFace, RegistrationPhoto
from tests.support.sealing import sealed_sessions
from tests.support.world import NIK_KEY

pytestmark = pytest.mark.lfw


def nth(root: Path, person: str, n: int) -> str:
    return sorted((root / "images" / person).glob("*.jpg"))[n - 1].relative_to(root).as_posix()


def write_csv(path: Path, root: Path) -> None:
    rows = [
        (
            "P-1",
            "Ricardo Lagos",
            "3171000000000001",
            [nth(root, "Ricardo_Lagos", n) for n in (1, 2)],
        ),
        # The first of these is blurry: rejected with its reason; the second enrolls.
        ("P-2", "Paul Martin", "", [nth(root, "Paul_Martin", n) for n in (1, 2)]),
        # Registered again under another participant number: flagged.
        ("P-3", "R. Lagos", "", [nth(root, "Ricardo_Lagos", 3)]),
        ("P-4", "Nobody", "", ["images/nobody.jpg", "../../etc/passwd"]),
        ("P-5", "John Bolton", "", [nth(root, "John_Bolton", n) for n in (2, 3, 4, 5)]),
    ]
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["participant_number", "name", "nik", "photos"])
        for number, name, nik, photos in rows:
            writer.writerow([number, name, nik, ";".join(photos)])


def counts(database_url: str) -> tuple[int, int, int]:
    engine = make_engine(database_url)
    try:
        with sealed_sessions(engine)() as s:
            return tuple(
                s.scalar(select(func.count()).select_from(t)) or 0
                for t in (Candidate, RegistrationPhoto, DuplicateFace)
            )
    finally:
        engine.dispose()


def test_import_enrolls_reports_and_is_idempotent(lfw_root, migrated, tmp_path, monkeypatch):
    monkeypatch.setenv("PROCTOR_DATABASE_URL", migrated)
    monkeypatch.setenv("PROCTOR_NIK_KEY", NIK_KEY)
    monkeypatch.setenv("PROCTOR_DATA_DIR", str(tmp_path))
    candidates, report = tmp_path / "candidates.csv", tmp_path / "report.csv"
    write_csv(candidates, lfw_root)
    args = ["import", str(candidates), "--photos", str(lfw_root), "--report", str(report)]
    runner = CliRunner()

    first = runner.invoke(app, [*args, "--engine", "sface"])
    assert first.exit_code == 0, first.output
    assert "5 candidates (5 new): 7 photos enrolled" in first.output
    assert counts(migrated) == (5, 7, 1)
    with report.open() as f:
        lines = list(csv.DictReader(f))
    by_status = {}
    for line in lines:
        by_status.setdefault(line["status"], []).append(line)
    assert [(r["participant_number"], r["codes"]) for r in by_status["rejected"]] == [
        ("P-2", "blurry"),
        ("P-5", "photo_limit_reached"),
    ]
    assert {r["photo"] for r in by_status["missing"]} == {"images/nobody.jpg", "../../etc/passwd"}
    (duplicate,) = by_status["duplicate_face"]
    assert duplicate["participant_number"] == "P-3"
    assert "participant P-1" in duplicate["detail"]

    again = runner.invoke(app, [*args, "--engine", "sface"])
    assert again.exit_code == 0, again.output
    assert "5 candidates (0 new): 0 photos enrolled, 7 already enrolled" in again.output
    assert counts(migrated) == (5, 7, 1)


def test_a_csv_without_the_required_columns_is_refused(tmp_path, monkeypatch):
    from proctor.errors import InputFileError

    monkeypatch.setenv("PROCTOR_DATA_DIR", str(tmp_path))
    bad = tmp_path / "bad.csv"
    bad.write_text("number,name\n1,A\n")
    result = CliRunner().invoke(app, ["import", str(bad), "--photos", str(tmp_path)])
    assert isinstance(result.exception, InputFileError)
    assert result.exception.code == "candidates_file_invalid"
