"""Reference data: candidates are updated in place by re-imports, and only changes are audited."""

from __future__ import annotations

from sqlalchemy import select

from proctor.exam import catalog
from proctor.store.audit import AuditRecord

KEY = b"k" * 40


def upsert(db, name: str, nik: str | None = None):
    return catalog.upsert_candidate(
        db,
        participant_number="P-1",
        name=name,
        formation="Analis",
        nik=nik,
        nik_key=KEY,
        actor="test",
        allow_existing=True,
    )


def test_only_real_changes_are_audited(db):
    candidate, created = upsert(db, "Siti", nik="3171234567890123")
    assert created
    same, created = upsert(db, "Siti")  # no NIK given: the recorded one is kept
    assert (same.id, created, same.nik_hash) == (candidate.id, False, candidate.nik_hash)
    upsert(db, "Siti Rahma")
    db.commit()
    actions = list(db.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
    assert actions == ["candidate.created", "candidate.updated"]
