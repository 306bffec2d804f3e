"""`proctor subject export`: one candidate's records and images for a data-subject request,
written all at once, never over a folder, and audited."""

from __future__ import annotations

import json

from sqlalchemy import select

from proctor.store.audit import AuditRecord
from proctor.store.database import make_engine
from tests.api.test_sealed_at_rest import jpeg
from tests.cli.test_complaints_cli import proctor
from tests.support.helpers import obs, post_batch, running
from tests.support.sealing import sealed_sessions
from tests.support.world import RED, colour_photo


def test_a_candidates_data_is_exported_with_its_images_and_audited(world, migrated, tmp_path):
    running(world)
    snapshot = jpeg((200, 60, 35))
    assert post_batch(world, [obs(i, 0.1, snapshot=snapshot) for i in range(1, 4)]).json()[
        "incident_id"
    ]
    env = {"PROCTOR_DATABASE_URL": migrated, "PROCTOR_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "requests" / "2026000001"
    done = proctor("subject", "export", "2026000001", "--out", str(out), "--actor", "admin:dpo",
                   env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr

    document = json.loads((out / "subject.json").read_text())
    assert document["candidate"]["participant_number"] == "2026000001"
    assert document["candidate"]["nik_held"] is True and "nik_hash" not in document["candidate"]
    (photo,) = document["registration_photos"]
    assert (out / photo["image"]).read_bytes() == colour_photo(RED)  # opened, not sealed
    assert "template_key" not in photo and photo["template"] == {"engine": "fake"}
    (attempt,) = document["attempts"]
    assert [c["kind"] for c in attempt["checkpoints"]] == ["check_in", "station_login"]
    (incident,) = attempt["incidents"]
    snapshots = [e for e in incident["evidence"] if e["kind"] == "live_snapshot"]
    assert snapshots and (out / snapshots[0]["image"]).read_bytes() == snapshot
    lines = (out / attempt["observations"]).read_text().splitlines()
    assert len(lines) == 1 + 3 and {"seq", "score", "snapshot"} <= set(lines[0].split(","))
    everything = "".join(p.read_text("latin-1") for p in out.rglob("*") if p.is_file())
    assert "3171234567890123" not in everything  # the NIK is never held in the clear
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".subject-")]

    engine = make_engine(migrated)
    with sealed_sessions(engine)() as session:
        record = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "biometric.read")
        ).one()
    engine.dispose()
    assert record.actor == "admin:dpo" and record.subject_id == world.candidate_id
    assert record.details["kind"] == "subject_export"

    again = proctor("subject", "export", "2026000001", "--out", str(out), env=env)
    assert again.returncode == 2 and "[already_exists]" in again.stderr
    unknown = proctor("subject", "export", "9999", "--out", str(tmp_path / "x"), env=env)
    assert unknown.returncode == 2 and "[not_found]" in unknown.stderr
    assert not (tmp_path / "x").exists()
