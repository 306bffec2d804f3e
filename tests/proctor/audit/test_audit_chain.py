"""The audit trail is a hash chain with signed checkpoints: tampering of each kind is named at
the first bad record, a truncated tail is caught by the checkpoint, and a checkpoint signed by
another key fails. On SQLite and PostgreSQL, and on an export away from the database."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid

import pytest
from nacl.signing import SigningKey
from sqlalchemy import select, text

from proctor.audit import chain as audit_chain
from proctor.audit import export as audit_export
from proctor.audit import heads, trail
from proctor.audit.hashing import hash_of
from proctor.store.audit import AuditCheckpoint, AuditRecord
from tests.support.sealing import sealed_sessions

KEY = SigningKey.generate()
PUBLIC = base64.b64encode(bytes(KEY.verify_key)).decode()


@pytest.fixture
def chain(db) -> list[int]:
    """Six records and a checkpoint signed over them; returns their ids."""
    ids = []
    for i in range(6):
        entry = trail.record(
            db, actor=f"proctor:{i}", action="attempt.paused", subject_type="attempt",
            subject_id=f"a{i}", score=0.1 * i, reason="face_mismatch",
        )  # fmt: skip
        db.commit()
        ids.append(entry.id)
    heads.sign_head(db, KEY)
    db.commit()
    return ids


def sql(db, statement: str, **params) -> None:
    db.execute(text(statement), params)
    db.commit()


def problem(db, key: str | None = PUBLIC) -> tuple[str, int | None] | None:
    verdict = audit_chain.verify(db, key)
    return None if verdict.ok else (verdict.problem.kind, verdict.problem.record_id)


def test_an_intact_chain_verifies(db, chain):
    verdict = audit_chain.verify(db, PUBLIC)
    assert verdict.ok and verdict.records == 6 and verdict.checkpoint_id is not None
    assert heads.sign_head(db, KEY) is None  # nothing new to sign


def test_a_modified_record_is_named(db, chain):
    sql(db, "UPDATE audit_records SET actor = 'admin:x' WHERE id = :id", id=chain[2])
    assert problem(db) == ("modified", chain[2])


def test_a_record_moved_to_another_venue_is_named(db, chain):
    """The venue a record is filed under (the committee's venue filter) is hashed with it."""
    venue = uuid.uuid4()
    entry = trail.record(
        db, actor="admin:x", action="venue.created", subject_type="venue", subject_id=venue
    )
    db.commit()
    assert entry.venue_id == venue and audit_chain.verify(db, PUBLIC).ok
    entry.venue_id = uuid.uuid4()  # hidden from the first venue's trail
    db.commit()
    assert problem(db) == ("modified", entry.id)


def test_a_modified_record_with_a_recomputed_hash_is_caught_at_the_next(db, chain):
    row = db.get(AuditRecord, chain[2])
    row.details = {**row.details, "reason": "nothing"}
    row.hash = hash_of(row)
    db.commit()
    assert problem(db) == ("deleted", chain[3])  # its successor no longer finds it


def test_a_deleted_record_is_named_by_its_successor(db, chain):
    sql(db, "DELETE FROM audit_records WHERE id = :id", id=chain[3])
    assert problem(db) == ("deleted", chain[4])


def test_an_inserted_record_is_named(db, chain):
    # Ids may have gaps (a PostgreSQL sequence skips the ids of rolled-back inserts): make one
    # after the second record, keeping the chain valid, as it would be written.
    for rid in reversed(chain[2:]):
        sql(db, "UPDATE audit_records SET id = :new WHERE id = :old", new=rid + 100, old=rid)
    previous = db.get(AuditRecord, chain[1]).hash
    for row in db.scalars(
        select(AuditRecord).where(AuditRecord.id > chain[1]).order_by(AuditRecord.id)
    ):
        row.prev_hash = previous
        row.hash = previous = hash_of(row)
    # As it would be written: the tree and its heads over the records as they are now.
    sql(db, "DELETE FROM audit_tree_nodes")
    sql(db, "DELETE FROM audit_checkpoints")
    heads.sign_head(db, KEY)
    db.commit()
    assert problem(db) is None
    # A forger who knows the hash rule fits a record into the gap, linked to the one before.
    before = db.get(AuditRecord, chain[1])
    forged = {
        "id": chain[2], "at": before.at, "actor": "proctor:9", "action": "attempt.resumed",
        "subject_type": "attempt", "subject_id": "a9", "details": {}, "prev_hash": before.hash,
    }  # fmt: skip
    db.add(AuditRecord(**forged, hash=hash_of(forged)))
    db.commit()
    assert problem(db) == ("inserted", chain[2])


def test_reordered_records_are_named(db, chain):
    a, b = chain[2], chain[3]
    sql(db, "UPDATE audit_records SET id = :tmp WHERE id = :a", tmp=a + 100_000, a=a)
    sql(db, "UPDATE audit_records SET id = :a WHERE id = :b", a=a, b=b)
    sql(db, "UPDATE audit_records SET id = :b WHERE id = :tmp", b=b, tmp=a + 100_000)
    assert problem(db) == ("reordered", a)


def test_a_cut_tail_is_caught_by_the_checkpoint(db, chain):
    sql(db, "DELETE FROM audit_records WHERE id >= :id", id=chain[4])
    assert problem(db) == ("truncated", chain[5])


def test_a_checkpoint_signed_by_another_key_fails(db, chain):
    other = SigningKey.generate()
    trail.record(db, actor="x", action="y.z", subject_type="t", subject_id="s")
    db.commit()
    heads.sign_head(db, other)
    db.commit()
    assert problem(db) == ("wrong_key", None)
    assert problem(db, key=None) is None  # without a trusted key only the signature counts
    latest = db.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    latest.public_key = PUBLIC  # claim the right key over the other key's signature
    db.commit()
    assert problem(db) == ("bad_signature", None)


def test_an_export_verifies_elsewhere_and_tampering_shows(db, chain, tmp_path):
    count, checkpoint = audit_export.export(db, tmp_path / "out")
    assert count == 6 and checkpoint is not None
    assert audit_export.verify_export(tmp_path / "out", PUBLIC).ok
    lines = (tmp_path / "out" / "records.jsonl").read_text().splitlines()
    row = json.loads(lines[1])
    row["actor"] = "someone else"
    lines[1] = json.dumps(row)
    (tmp_path / "out" / "records.jsonl").write_text("\n".join(lines) + "\n")
    verdict = audit_export.verify_export(tmp_path / "out", PUBLIC)
    assert (verdict.problem.kind, verdict.problem.record_id) == ("modified", chain[1])


def test_the_cli_verifies_and_exits_1_on_a_broken_chain(db, chain, migrated, tmp_path):
    env = {**os.environ, "PROCTOR_DATABASE_URL": migrated, "PROCTOR_DATA_DIR": str(tmp_path),
           "PROCTOR_NIK_KEY": "k" * 40}  # fmt: skip

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "proctor.cli", "audit", *args],
            capture_output=True, text=True, timeout=120, check=False, env=env,
        )  # fmt: skip

    good = run("verify", "--public-key", PUBLIC)
    assert good.returncode == 0 and "ok: 6 records" in good.stdout, good.stderr
    exported = run("export", "--out", str(tmp_path / "x"))
    assert exported.returncode == 0 and (tmp_path / "x" / "checkpoint.json").is_file()
    sql(db, "UPDATE audit_records SET details = :d WHERE id = :id", d='{"score": 0.9}', id=chain[1])
    broken = run("verify", "--json")
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["problem"]["record_id"] == chain[1]
    offline = run("verify", "--export", str(tmp_path / "x"), "--public-key", PUBLIC)
    assert offline.returncode == 0  # the export was taken before the change


def test_configuration_changes_are_recorded_once_each(db):
    from proctor.audit.settings_record import record_configuration
    from proctor.settings import Settings

    first = Settings(nik_key="n" * 40, whatsapp_webhook_secret="hook-secret-value")
    assert record_configuration(db, first) is True
    assert record_configuration(db, first) is False  # unchanged: nothing new
    changed = first.model_copy(update={"sse_heartbeat_seconds": 30.0})
    assert record_configuration(db, changed) is True
    db.commit()
    records = db.scalars(
        select(AuditRecord).where(AuditRecord.action == "config.applied").order_by(AuditRecord.id)
    ).all()
    assert len(records) == 2
    assert records[1].details["changed"] == ["sse_heartbeat_seconds"]
    dumped = json.dumps([r.details for r in records])
    assert "hook-secret-value" not in dumped and "n" * 40 not in dumped
    assert records[0].details["config"]["secrets_set"]["whatsapp_webhook_secret"] is True
    assert audit_chain.verify(db).ok


def test_checks_are_recorded_and_a_break_is_logged_without_content(db, chain, caplog):
    from proctor.api.chain_watch import check_and_record
    from proctor.audit.checks import recent_checks

    sessions = sealed_sessions(db.get_bind())
    assert recent_checks(db) == []
    first = check_and_record(sessions, by="service", wait=True)
    assert first.ok and first.records == 6 and first.checkpoint_id is not None
    sql(db, "UPDATE audit_records SET subject_id = 'NIK 3171234567890123' WHERE id = :id",
        id=chain[3])  # fmt: skip
    with caplog.at_level("ERROR", logger="proctor.api.chain_watch"):
        check_and_record(sessions, by="committee:abc", wait=True)
    latest, earlier = recent_checks(db)
    assert (latest.by, latest.ok, latest.problem_kind) == ("committee:abc", False, "modified")
    assert latest.problem_record_id == chain[3] and earlier.id == first.id
    assert f"modified at record {chain[3]}" in caplog.text
    assert "3171234567890123" not in caplog.text


def test_one_server_process_checks_at_a_time(db, chain):
    """While one process checks, another's round is skipped, not run twice (PostgreSQL: on
    SQLite the service is one process)."""
    from proctor.audit.checks import run_check

    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite is served by one process")
    sessions = sealed_sessions(db.get_bind())
    with sessions() as checking, sessions() as other:
        assert run_check(checking, wait=True) is not None  # holds the lock until it commits
        assert run_check(other, wait=False) is None
        other.rollback()
        checking.commit()
        assert run_check(other, wait=False) is not None
        other.commit()
