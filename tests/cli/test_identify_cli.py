"""`proctor identify`: each photo searched against every enrolled candidate at the 1:N
threshold, one JSON line per photo; bad input gets its code and exit status 2."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from typer.testing import CliRunner

from proctor.cli.main import app
from proctor.models.cards import load_card
from tests.cli.test_import_cli import nth
from tests.support.sealing import sealed_sessions
from tests.support.world import NIK_KEY

pytestmark = pytest.mark.lfw


def identify(*args: str):
    result = CliRunner().invoke(app, ["identify", "--engine", "sface", "--json", *args])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, lines


def test_identify_names_the_enrolled_candidate_and_says_unknown_otherwise(
    lfw_root, migrated, tmp_path, monkeypatch
):
    monkeypatch.setenv("PROCTOR_DATABASE_URL", migrated)
    monkeypatch.setenv("PROCTOR_NIK_KEY", NIK_KEY)
    monkeypatch.setenv("PROCTOR_DATA_DIR", str(tmp_path))
    lagos, bolton = (
        lfw_root / nth(lfw_root, "Ricardo_Lagos", 4),
        lfw_root / nth(lfw_root, "John_Bolton", 6),
    )
    code, lines = identify(str(lagos))
    assert code == 0 and lines[0]["decision"] == "unknown"  # an empty registry
    candidates = tmp_path / "candidates.csv"
    own = ";".join(nth(lfw_root, "Ricardo_Lagos", n) for n in (1, 2))
    candidates.write_text(
        "participant_number,name,photos\n"
        f"P-1,Ricardo Lagos,{own}\n"
        f"P-2,Paul Martin,{nth(lfw_root, 'Paul_Martin', 2)}\n"
    )
    imported = CliRunner().invoke(
        app, ["import", str(candidates), "--photos", str(lfw_root), "--engine", "sface",
              "--report", str(tmp_path / "report.csv")],
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    blank, corrupt = tmp_path / "blank.png", tmp_path / "corrupt.jpg"
    cv2.imwrite(str(blank), np.full((200, 200, 3), 128, np.uint8))
    corrupt.write_bytes(b"not an image")

    code, lines = identify(str(lagos), str(bolton), str(blank), str(corrupt))
    assert code == 2  # the corrupt file; the other photos were still searched
    found, stranger, nobody, bad = lines
    threshold = load_card("sface").identification.threshold
    assert threshold > load_card("sface").threshold  # 1:N is stricter than 1:1
    assert found["photo"] == str(lagos) and found["decision"] == "identified"
    assert found["threshold"] == threshold
    assert [c["participant_number"] for c in found["candidates"]] == ["P-1"]
    assert found["candidates"][0]["score"] >= threshold
    assert (stranger["decision"], stranger["candidates"]) == ("unknown", [])
    assert found["watchlist"] == [] and stranger["watchlist"] == []
    assert nobody["decision"] == "no_face"
    assert bad["photo"] == str(corrupt) and bad["error"]["code"] == "image_unreadable"

    # Bolton is put on the watchlist from another photo: his first photo is now identified.
    list_on_watchlist(migrated, lfw_root / nth(lfw_root, "John_Bolton", 2))
    code, (listed,) = identify(str(bolton))
    assert code == 0 and listed["decision"] == "identified" and listed["candidates"] == []
    assert [w["label"] for w in listed["watchlist"]] == ["joki caught in 2025"]
    assert listed["watchlist"][0]["score"] >= threshold


def list_on_watchlist(database_url: str, photo) -> None:
    from proctor.identity.watchlist import add_photo
    from proctor.models.reader import EngineReader
    from proctor.models.registry import create_engine
    from proctor.store.database import make_engine

    reading = EngineReader(create_engine("sface")).read(photo.read_bytes())
    engine = make_engine(database_url)
    with sealed_sessions(engine)() as session:
        add_photo(
            session, reading, label="joki caught in 2025", reason="on the 2025 blacklist",
            actor="test",
        )  # fmt: skip
        session.commit()
    engine.dispose()
