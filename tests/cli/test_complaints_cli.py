"""`proctor complaints overdue` lists and escalates what is late; `proctor custodian keygen`
makes a key pair whose private half only its file holds."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import timedelta

from proctor.cases import complaints
from proctor.cases.complaints import Category, Channel, NewComplaint
from proctor.cases.deadlines import ComplaintRules
from proctor.cases.whistleblowing import reveal_identity
from proctor.clock import utcnow
from proctor.store.complaints import Complaint
from proctor.store.database import make_engine
from tests.support.database import migrate
from tests.support.sealing import sealed_sessions


def proctor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "proctor.cli", *args],
        capture_output=True, text=True, timeout=120, check=False, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_overdue_lists_and_escalates(tmp_path):
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    engine = make_engine(url)
    with sealed_sessions(engine)() as session:
        new = NewComplaint(Channel.PHONE, Category.FACILITIES, "No water", "The taps are dry.")
        late = complaints.receive(
            session, new, ComplaintRules(), actor="t", now=utcnow() - timedelta(days=4)
        )
        complaints.receive(session, new, ComplaintRules(), actor="t")  # not due yet
        session.commit()
        number = late.tracking_number
    env = {"PROCTOR_DATABASE_URL": url, "PROCTOR_DATA_DIR": str(tmp_path)}
    listed = proctor("complaints", "overdue", "--json", env=env)
    assert listed.returncode == 1, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["reference"], r["step"], r["escalation"]) for r in rows] == [
        (number, "first_response", "none")
    ]
    escalated = proctor("complaints", "overdue", "--escalate", env=env)
    assert escalated.returncode == 1 and "venue_head (escalated now)" in escalated.stdout
    with sealed_sessions(engine)() as session:
        assert session.get(Complaint, late.id).escalation == "venue_head"
        for case in session.query(Complaint):
            case.first_responded_at = utcnow()
        session.commit()
    engine.dispose()
    done = proctor("complaints", "overdue", env=env)
    assert done.returncode == 0 and "0 overdue" in done.stderr


def test_keygen_writes_a_private_key_file_once(tmp_path):
    from proctor.cases import whistleblowing as wbs

    path = tmp_path / "custodian.key"
    made = proctor("custodian", "keygen", "--out", str(path))
    assert made.returncode == 0, made.stderr
    public = made.stdout.strip().removeprefix("PROCTOR_CUSTODIAN_PUBLIC_KEY=")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    private = path.read_text().strip()
    assert private not in made.stdout
    again = proctor("custodian", "keygen", "--out", str(path))
    assert again.returncode == 2 and "never overwritten" in again.stderr

    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    engine = make_engine(url)
    with sealed_sessions(engine)() as session:
        filed = wbs.file_report(
            session, category=Category.OTHER, subject="s", description="d",
            rules=ComplaintRules(), identity="Rina", custodian_public_key=public,
        )  # fmt: skip
        assert reveal_identity(
            session, filed.report, actor="custodian:c", justification="x" * 25,
            private_key=private, custodian_public_key=public,
        ) == "Rina"  # fmt: skip
    engine.dispose()


def test_the_lapor_exchange_from_the_command_line(tmp_path):
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    env = {"PROCTOR_DATABASE_URL": url, "PROCTOR_DATA_DIR": str(tmp_path)}
    reports = tmp_path / "lapor.csv"
    reports.write_text(
        "tracking_id,title,content\n#8000001,Ruang ujian gelap,Lampu ruang 3 mati.\n"
        "8000001,Ruang ujian gelap,Lampu ruang 3 mati.\n"
    )
    first = proctor("complaints", "lapor-import", str(reports), env=env)
    assert first.returncode == 0, first.stderr
    assert (
        first.stdout.startswith("8000001\tPGD-") and "1 imported, 1 imported before" in first.stderr
    )
    again = proctor("complaints", "lapor-import", str(reports), env=env)
    assert again.stdout == "" and "0 imported, 2 imported before" in again.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('[{"tracking_id": "8000002"}]')
    refused = proctor("complaints", "lapor-import", str(broken), env=env)
    assert refused.returncode == 2 and "lapor_file_invalid" in refused.stderr
    out = tmp_path / "updates.json"
    written = proctor("complaints", "lapor-export", "--out", str(out), env=env)
    assert written.returncode == 0, written.stderr
    document = json.loads(out.read_text())
    assert [(u["lapor_tracking_id"], u["state"]) for u in document["updates"]] == [
        ("8000001", "received")
    ]
    assert proctor("complaints", "lapor-export", "--out", str(out), env=env).returncode == 2
