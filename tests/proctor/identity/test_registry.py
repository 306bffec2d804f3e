"""The registry index on SQLite and PostgreSQL: searches find other candidates' enrolled faces,
stay current across processes, and never report what the database does not hold."""

from __future__ import annotations

import time
import uuid

import numpy as np
from sqlalchemy import delete, select

from proctor.blobs import store_blob
from proctor.exam import catalog
from proctor.identity.registry import Registry
from proctor.sealing.columns import REGISTRATION_TEMPLATES
from proctor.store.database import make_engine
from proctor.store.exam import RegistrationPhoto
from tests.conftest import FakeEngine
from tests.support.sealing import sealed_sessions

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
        photo_id = uuid.uuid4()
        photo = RegistrationPhoto(
            id=photo_id, candidate_id=candidate.id, blob_id=blob.id,
            source_sha256=f"{number}{i}".ljust(64, "0"), engine="fake", quality=[],
            **REGISTRATION_TEMPLATES.seal_template(session, photo_id, face),
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
    mine, theirs = (sealed_sessions(e)() for e in engines)
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
    registry.add(photos[0], unit(0, 1, 0))  # before the commit, as enrolment does
    assert [h.candidate_id for h in registry.search(db, unit(0, 1, 0), threshold=0.9)] == [
        candidate.id
    ]
    db.rollback()
    assert registry.search(db, unit(0, 1, 0), threshold=0.9) == []
    assert len(registry) == 0


def faces(n: int, seed: int) -> list[np.ndarray]:
    return [unit(*v) for v in np.random.default_rng(seed).normal(size=(n, 3))]


def names(registry: Registry, db, face: np.ndarray) -> list:
    return [h.candidate_id for h in registry.search(db, face, threshold=0.999)]


def test_templates_that_join_a_built_graph_are_found_then_folded_in_by_a_rebuild(db):
    registry = Registry(FakeEngine(), 0.9, clock=Clock(), ann_from=4, rebuild_in_background=False)
    first = [enrol(db, f"A{i}", face)[0] for i, face in enumerate(faces(4, seed=1))]
    db.commit()
    registry.sync(db, force=True)  # a graph of four
    later_faces = faces(4, seed=2)
    later = []
    for i, face in enumerate(later_faces):
        candidate, photos = enrol(db, f"B{i}", face)
        registry.add(photos[0], face)
        later.append(candidate)
        if i < 3:  # beside the graph, searched exactly
            assert registry.rebuilds == 0 and names(registry, db, face)[0] == candidate.id
    db.commit()
    assert registry.rebuilds == 1  # the fourth made the recent set as large as the graph
    for candidate, face in zip(first + later, faces(4, seed=1) + later_faces, strict=True):
        assert names(registry, db, face)[0] == candidate.id


def test_what_changes_while_the_graph_is_rebuilt_is_kept(db, monkeypatch):
    from proctor.identity import registry as registry_module

    registry = Registry(FakeEngine(), 0.9, clock=Clock(), ann_from=4, rebuild_in_background=False,
                        reconcile_every=0)  # fmt: skip
    _, gone = enrol(db, "G", unit(0, 0, 1))
    for i, face in enumerate(faces(3, seed=3)):
        enrol(db, f"A{i}", face)
    db.commit()
    registry.sync(db, force=True)
    built = registry_module.VectorIndex.built
    arrived = []

    def build_while_the_registry_changes(*args, **kwargs):
        candidate, photos = enrol(db, "N", unit(1, 1, 1))  # enrolled during the build
        registry.add(photos[0], unit(1, 1, 1))
        arrived.append(candidate)
        db.execute(delete(RegistrationPhoto).where(RegistrationPhoto.id == gone[0].id))
        db.commit()
        registry.sync(db, force=True)  # the reconcile removes G from the old graph
        return built(*args, **kwargs)

    monkeypatch.setattr(registry_module.VectorIndex, "built", build_while_the_registry_changes)
    for i, face in enumerate(faces(4, seed=4)):
        enrol(db, f"B{i}", face)
    db.commit()
    registry.sync(db, force=True)  # four beside a graph of four: rebuilt
    assert registry.rebuilds == 1 and len(registry) == 8
    assert names(registry, db, unit(1, 1, 1)) == [arrived[0].id]
    assert names(registry, db, unit(0, 0, 1)) == []


def test_a_rebuild_runs_in_the_background_and_the_old_graph_answers_meanwhile(db):
    registry = Registry(FakeEngine(), 0.9, clock=Clock(), ann_from=4)
    for i, face in enumerate(faces(8, seed=5)):
        enrol(db, f"A{i}", face)
    db.commit()
    registry.sync(db, force=True)
    for i, face in enumerate(faces(4, seed=6)):
        enrol(db, f"B{i}", face)
    db.commit()
    registry.sync(db, force=True)
    deadline = time.monotonic() + 60  # a wait for the thread, not a measure of its speed
    while registry.rebuilds == 0 and time.monotonic() < deadline:
        assert len(names(registry, db, faces(4, seed=6)[0])) == 1
        time.sleep(0.01)
    assert registry.rebuilds == 1 and len(registry) == 12


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
