"""The retention schedule on a fixed clock: live pictures go after their period, registration
data after the selection cycle; a case (an incident not closed, a complaint about it, an active
watchlist entry from it) holds everything it needs; a deletion removes the bytes and the key and
the audit says so without the data; a dry run changes nothing."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from proctor.cases import complaints
from proctor.cases.complaints import Category, Channel, NewComplaint
from proctor.cases.deadlines import ComplaintRules
from proctor.exam import retention
from proctor.exam.retention_rules import RetentionRules
from proctor.exam.subject_export import export_subject
from proctor.review.review import ReviewState
from proctor.sealing.upkeep import seal_plain_rows
from proctor.store.audit import AuditRecord
from proctor.store.complaints import IncidentDecision
from proctor.store.database import make_engine
from proctor.store.evidence import Checkpoint, Incident
from proctor.store.exam import Blob, Candidate, RegistrationPhoto
from proctor.store.identity import IncidentFace
from tests.api.test_sealed_at_rest import jpeg, shown
from tests.api.test_watchlist import search_incidents
from tests.support.dump import database_dump
from tests.support.helpers import enrol_candidate, obs, post_batch, running
from tests.support.sealing import sealed_sessions

SESSION_END = datetime(2026, 11, 24, 2, 40, tzinfo=UTC)  # the world's session: 01:00 + 100 min
RULES = RetentionRules(live_days=30, case_days=365)
PROXY = (200, 60, 35)


class Database:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sessions = sealed_sessions(self.engine)

    def run(self, at: datetime, rules: RetentionRules = RULES, **options) -> list[tuple]:
        return [
            (p.subject_type, p.kind, p.images, p.templates)
            for p in retention.run(self.sessions, rules, at, **options)
        ]

    def count(self, query) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(query.subquery()))

    def purges(self) -> list[dict]:
        with self.sessions() as session:
            records = session.scalars(
                select(AuditRecord).where(AuditRecord.action == "data.purged")
            ).all()
            return [{"subject": r.subject_type, **r.details} for r in records]


def test_an_honest_exams_live_pictures_go_after_their_period(world, migrated, tmp_path):
    running(world)  # two checkpoint photos
    assert post_batch(world, [obs(1, 0.99, snapshot=jpeg(PROXY))]).status_code == 200
    db = Database(migrated)
    live = select(Blob.id).where(Blob.purged_at.is_(None))
    before = db.count(live)
    with db.sessions() as session:
        sealed = session.scalars(select(Blob.data).where(Blob.content_type == "image/jpeg")).one()
    assert db.run(SESSION_END + timedelta(days=29)) == []
    due = SESSION_END + timedelta(days=30, minutes=1)
    assert db.run(due, dry_run=True) == [("attempt", "live_pictures", 3, 0)]
    assert db.count(live) == before and db.purges() == []  # a dry run changes nothing

    assert db.run(due) == [("attempt", "live_pictures", 3, 0)]
    assert db.count(live) == before - 3  # the registration photo stays
    with db.sessions() as session:
        checkpoint = session.scalars(select(Checkpoint)).first()
        blob = session.get(Blob, checkpoint.photo_blob_id)
        assert (blob.data, blob.sealed_key, blob.sha256) == (b"", None, "")
        assert blob.purged_at == due
    assert db.purges() == [
        {"subject": "attempt", "kind": "live_pictures", "images": 3, "templates": 0}
    ]
    with db.sessions() as session:  # the bytes are gone from the file too, not only unlinked
        assert not shown(database_dump(session, migrated), sealed[:32])
    url = f"/api/v1/attempts/{world.attempt_id}/checkpoints/{checkpoint.id}/photo"
    gone = world.client.get(url, headers=world.as_("proctor"))
    assert gone.status_code == 410 and gone.json()["code"] == "data_purged"
    assert db.run(due + timedelta(days=1)) == []  # once
    assert seal_plain_rows(db.sessions).total == 0  # a purged row is not taken for a plain one
    with db.sessions() as session:  # a data-subject export says what became of them
        export_subject(session, "2026000001", tmp_path / "export", actor="admin:dpo")
    (attempt,) = json.loads((tmp_path / "export" / "subject.json").read_text())["attempts"]
    assert all(c["image"].startswith("deleted under the retention schedule on 2026-12-24")
               for c in attempt["checkpoints"])  # fmt: skip
    db.engine.dispose()


def close_incident(db: Database, at: datetime) -> uuid.UUID:
    with db.sessions() as session:
        incident = session.scalars(select(Incident)).one()
        incident.status = str(ReviewState.CLOSED)
        session.add(IncidentDecision(incident_id=incident.id, round=0, at=at, actor="p",
                                     action="closed", reason="selesai diperiksa"))  # fmt: skip
        session.commit()
        return incident.id


def test_a_case_holds_its_evidence_until_closed_and_past_its_period(world, migrated):
    enrol_candidate(world, "2026000777", PROXY)
    running(world)
    batch = [obs(i, 0.1, snapshot=jpeg(PROXY)) for i in range(1, 4)]
    assert post_batch(world, batch).json()["incident_id"]
    search_incidents(migrated)  # the proxy's face templates
    db = Database(migrated)
    assert db.count(select(IncidentFace.id)) > 0
    assert db.run(SESSION_END + timedelta(days=400)) == []  # the incident is open

    closed = SESSION_END + timedelta(days=10)
    incident_id = close_incident(db, closed)
    with db.sessions() as session:  # a complaint about it, still open
        complaint = complaints.receive(
            session, NewComplaint(Channel.WEB, Category.OTHER, "Bukan joki", "Saya sendiri."),
            ComplaintRules(), actor="t", incident_id=incident_id,
        )  # fmt: skip
        session.commit()
    after_period = closed + timedelta(days=366)
    assert db.run(after_period) == []
    with db.sessions() as session:
        session.get(type(complaint), complaint.id).closed_at = closed + timedelta(days=20)
        session.commit()
    assert db.run(closed + timedelta(days=364)) == []  # 30 days after the exam, but the case
    done = db.run(after_period)
    assert len(done) == 1 and done[0][:2] == ("attempt", "live_pictures")
    assert done[0][2] >= 5 and done[0][3] > 0  # checkpoints, snapshots; the proxy's templates
    assert db.count(select(IncidentFace.id)) == 0
    db.engine.dispose()


def test_registration_data_goes_after_the_cycle_unless_a_case_holds_it(world, migrated):
    other_id, _ = enrol_candidate(world, "2026000555", (40, 170, 90))
    running(world)
    assert post_batch(world, [obs(i, 0.1) for i in range(1, 4)]).json()["incident_id"]
    db = Database(migrated)
    rules = RetentionRules(live_days=30, case_days=365, registration_until=date(2026, 12, 31))
    assert db.run(datetime(2026, 12, 31, 23, 0, tzinfo=UTC), rules) == []
    after = datetime(2027, 1, 2, tzinfo=UTC)
    assert db.run(after, rules) == [("candidate", "registration", 1, 1)]  # not the one held
    with db.sessions() as session:
        kept = session.scalars(select(RegistrationPhoto.candidate_id)).all()
        assert kept == [uuid.UUID(world.candidate_id)]
        assert session.get(Candidate, uuid.UUID(other_id)).registration_purged_at == after
    assert db.purges() == [
        {"subject": "candidate", "kind": "registration", "images": 1, "templates": 1}
    ]
    db.engine.dispose()


def test_an_active_watchlist_entry_from_the_case_holds_it(world, migrated):
    from proctor.store.complaints import Complaint
    from proctor.store.identity import WatchlistEntry, WatchlistFace
    from tests.api.test_watchlist import confirm_proxy

    enrol_candidate(world, "2026000777", PROXY)
    running(world)
    batch = [obs(i, 0.1, snapshot=jpeg(PROXY)) for i in range(1, 4)]
    incident_id = post_batch(world, batch).json()["incident_id"]
    search_incidents(migrated)
    confirm_proxy(world, migrated, incident_id)  # the proxy goes on the watchlist
    db = Database(migrated)
    close_incident(db, SESSION_END + timedelta(days=10))
    far = SESSION_END + timedelta(days=1000)
    assert db.run(far) == []
    with db.sessions() as session:  # the complaint a confirmed case opens is closed too
        for case in session.scalars(select(Complaint)):
            case.closed_at = far
        session.commit()
    assert db.run(far) == []  # the proxy is still on the watchlist
    with db.sessions() as session:
        session.scalars(select(WatchlistEntry)).one().removed_at = far
        session.commit()
    assert [p[:2] for p in db.run(far)] == [("attempt", "live_pictures")]
    faces = db.count(select(WatchlistFace.id))
    assert faces > 0 and db.run(far + timedelta(days=364)) == []  # the entry's own period
    # Its photos were the incident's snapshots, deleted with the attempt's live pictures.
    assert db.run(far + timedelta(days=366)) == [("watchlist_entry", "watchlist", 0, faces)]
    assert db.count(select(WatchlistFace.id)) == 0
    db.engine.dispose()


def test_a_removed_watchlist_entrys_photo_and_face_go_after_the_case_period(world, migrated):
    from tests.api.test_watchlist import list_known_joki

    admin = world.as_("admin")
    made = list_known_joki(world, PROXY, "joki caught in 2025", "named in the 2025 BKN blacklist")
    removal = {"reason": "the listing was a mistake, confirmed by the committee"}
    entry = made["id"]
    assert world.client.post(f"/api/v1/watchlist/{entry}/removal", json=removal,
                             headers=admin).status_code == 200  # fmt: skip
    db = Database(migrated)
    removed = datetime.now(UTC)
    assert db.run(removed + timedelta(days=364)) == []
    assert db.run(removed + timedelta(days=366)) == [("watchlist_entry", "watchlist", 1, 1)]
    db.engine.dispose()
