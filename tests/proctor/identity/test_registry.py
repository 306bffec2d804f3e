"""The registry index on SQLite and PostgreSQL: searches find other candidates' enrolled faces,
stay current across processes, and never report what the database does not hold."""

from __future__ import annotations

import numpy as np
from sqlalchemy import delete, select

from proctor.blobs import store_blob
from proctor.exam import catalog
from proctor.faces.photos import template_bytes
from proctor.identity.registry import Registry
from proctor.store.database import make_engine, make_sessionmaker
from proctor.store.exam import RegistrationPhoto
from tests.conftest import FakeEngine

KEY = b"k" * 40


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def unit(*values: float) -> np.ndarray:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def enrol(session, number: str, *faces: np.ndarray) -> tuple:
    candidate, _ = catalog.upsert_candidate(
        session, participant_number=number, name=number, formation="", nik=None, nik_key=KEY,
        actor="test",
    )  # fmt: skip
    photos = []
    for i, face in enumerate(faces):
        blob = store_blob(session, f"{number}-{i}".encode(), "image/jpeg")
        photo = RegistrationPhoto(
            candidate_id=candidate.id, blob_id=blob.id, source_sha256=f"{number}{i}".ljust(64, "0"),
            engine="fake", template=template_bytes(face), quality=[],
        )  # fmt: skip
        session.add(photo)
        photos.append(photo)
    session.flush()
    return candidate, photos


def test_a_search_names_other_candidates_above_the_threshold_best_first(db):
    ana, _ = enrol(db, "A", unit(1, 0, 0), unit(1, 0.2, 0))
    budi, _ = enrol(db, "B", unit(0.9, 0.35, 0))
    enrol(db, "C", unit(0, 0, 1))
    db.commit()
    registry = Registry(FakeEngine(), 0.9, clock=Clock())
    hits = registry.search(db, unit(1, 0.1, 0), threshold=0.9)
    assert [h.candidate_id for h in hits] == [ana.id, budi.id]  # one hit each, best first
    assert hits[0].score > hits[1].score >= 0.9
    assert [h.candidate_id for h in registry.search(db, unit(1, 0.1, 0), threshold=0.9,
                                                    exclude=ana.id)] == [budi.id]  # fmt: skip
    assert registry.search(db, unit(0, 1, 0), threshold=0.9) == []


def test_another_process_sees_new_templates_and_removals(migrated):
    engines = [make_engine(migrated), make_engine(migrated)]
    mine, theirs = (make_sessionmaker(e)() for e in engines)
    clock = Clock()
    registry = Registry(FakeEngine(), 0.9, clock=clock, reconcile_every=60)
    try:
        assert registry.search(mine, unit(1, 0, 0), threshold=0.9) == []  # an empty registry
        candidate, photos = enrol(theirs, "A", unit(1, 0, 0))
        theirs.commit()
        assert registry.search(mine, unit(1, 0, 0), threshold=0.9) == []  # looked a moment ago
        clock.now += 1.5
        mine.rollback()  # a new transaction sees the other's commit
        assert [h.candidate_id for h in registry.search(mine, unit(1, 0, 0), threshold=0.9)] == [
            candidate.id
        ]
        other, _ = enrol(theirs, "B", unit(0, 1, 0))
        theirs.commit()
        clock.now += 1.5
        mine.rollback()  # read since the newest template seen, not the whole registry again
        assert [h.candidate_id for h in registry.search(mine, unit(0, 1, 0), threshold=0.9)] == [
            other.id
        ]
        theirs.execute(delete(RegistrationPhoto).where(RegistrationPhoto.id == photos[0].id))
        theirs.commit()
        clock.now += 61
        mine.rollback()
        assert registry.search(mine, unit(1, 0, 0), threshold=0.9) == []
        assert len(registry) == 1  # B stays
    finally:
        mine.close()
        theirs.close()
        for e in engines:
            e.dispose()


def test_what_this_process_enrolled_is_found_at_once_and_forgotten_if_rolled_back(db):
    registry = Registry(FakeEngine(), 0.9, clock=Clock())
    registry.sync(db, force=True)
    candidate, photos = enrol(db, "A", unit(0, 1, 0))
    registry.add(photos[0])  # before the commit, as enrolment does
    assert [h.candidate_id for h in registry.search(db, unit(0, 1, 0), threshold=0.9)] == [
        candidate.id
    ]
    db.rollback()
    assert registry.search(db, unit(0, 1, 0), threshold=0.9) == []
    assert len(registry) == 0


def test_a_duplicate_case_is_decided_once_with_its_audit_record(db):
    from proctor.identity import duplicates
    from proctor.identity.duplicates import DuplicateState
    from proctor.store.audit import AuditRecord
    from proctor.store.exam import DuplicateFace

    a, _ = enrol(db, "A", unit(1, 0, 0))
    b, _ = enrol(db, "B", unit(1, 0, 0))
    case = DuplicateFace(candidate_id=a.id, other_candidate_id=b.id, score=0.99, engine="fake")
    db.add(case)
    db.flush()
    assert [r.case.id for r in duplicates.find(db)] == [case.id]
    duplicates.decide(db, case, DuplicateState.SAME_PERSON, actor="admin:x",
                      reason="One man registered under two numbers.")  # fmt: skip
    db.commit()
    assert duplicates.find(db) == []
    assert [r.other_participant_number for r in duplicates.find(db, status="same_person")] == ["B"]
    record = db.scalar(
        select(AuditRecord).where(AuditRecord.action == "duplicate_face.same_person")
    )
    assert record.subject_id == str(case.id) and record.details["previous"] == "open"
