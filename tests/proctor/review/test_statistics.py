"""The committee's figures, counted by the database over several venues and sessions: every
number below is worked out by hand from the rows the test writes. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from proctor.blobs import store_blob
from proctor.exam import catalog
from proctor.review import statistics
from proctor.store.complaints import Complaint, IncidentDecision
from proctor.store.evidence import Checkpoint, Incident

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=20)


def test_figures_per_venue_and_session_and_compliance_per_venue(db):
    photo = store_blob(db, b"\xff\xd8 not decoded here", "image/jpeg")
    venues, sessions, stations = {}, {}, {}
    for code in ("JKT-01", "SBY-01"):
        venue = catalog.create_venue(db, code=code, name=code, address="", actor="t")
        venues[code] = venue
        stations[code] = catalog.create_station(db, venue_id=venue.id, code="PC-01", actor="t")
        for exam in ("S1", "S2") if code == "JKT-01" else ("S1",):
            sessions[code, exam] = catalog.create_session(
                db, venue_id=venue.id, code=exam, starts_at=T0, duration_minutes=100, actor="t"
            )
    number = iter(range(1, 100))

    def attempt(venue: str, exam: str, *decisions: str):
        candidate, _ = catalog.upsert_candidate(
            db, participant_number=str(next(number)), name="C", formation="", nik=None,
            nik_key=b"k" * 32, actor="t",
        )  # fmt: skip
        made = catalog.schedule_attempt(
            db, candidate_id=candidate.id, session_id=sessions[venue, exam].id,
            station_id=stations[venue].id, actor="t",
        )  # fmt: skip
        for decision in decisions:
            db.add(Checkpoint(attempt_id=made.id, kind="check_in", engine="fused", score=0.5,
                              threshold=0.4, decision=decision, quality=[],
                              photo_blob_id=photo.id, actor="t"))  # fmt: skip
        return made

    def incident(of, *decided: tuple[str, float]):
        found = Incident(attempt_id=of.id, reason="face_mismatch", opened_at=T0, details={})
        db.add(found)
        db.flush()
        for action, hours in decided:
            db.add(IncidentDecision(incident_id=found.id, round=0, actor="p", action=action,
                                    reason="because", at=T0 + timedelta(hours=hours)))  # fmt: skip

    first = attempt("JKT-01", "S1", "match")
    second = attempt("JKT-01", "S1", "no_match", "match")
    attempt("JKT-01", "S1", "quality_rejected")
    attempt("JKT-01", "S2")
    third = attempt("SBY-01", "S1", "no_face")
    attempt("SBY-01", "S1", "match")
    # Decided false alarm after 2 h, then on appeal a proxy after 6 h: the latest counts.
    incident(first, ("proposed_proxy", 1), ("false_alarm", 2), ("confirmed_proxy", 6))
    incident(second, ("false_alarm", 1))
    incident(third)  # not decided yet

    def complaint(n: int, venue: str | None, due_days: int, resolved_days: int | None):
        db.add(Complaint(
            tracking_number=f"PGD-TEST-{n:04d}", channel="web", category="facilities",
            state="resolved" if resolved_days is not None else "received",
            venue_id=venues[venue].id if venue else None, subject="s", description="d",
            received_at=T0, track="simple", first_response_due=T0 + timedelta(days=3),
            resolution_due=T0 + timedelta(days=due_days),
            resolved_at=T0 + timedelta(days=resolved_days) if resolved_days is not None else None,
        ))  # fmt: skip

    complaint(1, "JKT-01", 7, 5)  # resolved on time
    complaint(2, "JKT-01", 7, 9)  # resolved late
    complaint(3, "JKT-01", 7, None)  # open and overdue at NOW
    complaint(4, "JKT-01", 30, None)  # open, not yet due
    complaint(5, None, 7, 2)  # no venue
    db.commit()

    figures = [
        (f.venue, f.session, f.attempts, f.checkpoint_failures, f.pauses, f.confirmed_proxies,
         f.false_alarms, f.other_violations, f.median_hours_to_decision)
        for f in statistics.per_session(db)
    ]  # fmt: skip
    assert figures == [
        ("JKT-01", "S1", 3, 2, 2, 1, 1, 0, 3.5),  # median of 6 h and 1 h
        ("JKT-01", "S2", 1, 0, 0, 0, 0, 0, None),
        ("SBY-01", "S1", 2, 1, 1, 0, 0, 0, None),
    ]
    kept = [
        (c.venue, c.resolved, c.on_time, c.open_overdue, c.share_on_time)
        for c in statistics.compliance(db, NOW)
    ]
    assert kept == [("-", 1, 1, 0, 1.0), ("JKT-01", 2, 1, 1, 0.5)]


def test_figures_per_week_in_the_readers_zone_with_quiet_weeks_shown():
    figures = statistics.SessionFigures
    rows = [
        # Sunday 29/11 15:30 UTC: still Sunday in WIB (22:30), already Monday in WIT (00:30).
        figures("JAP-01", "S1", attempts=40, pauses=2, confirmed_proxies=1,
                starts_at=datetime(2026, 11, 29, 15, 30, tzinfo=UTC)),
        figures("JKT-01", "S1", attempts=30, pauses=1, false_alarms=1,
                starts_at=datetime(2026, 11, 24, 1, 0, tzinfo=UTC)),  # Tuesday
        figures("JKT-01", "S9", attempts=10, starts_at=datetime(2026, 12, 15, 1, 0, tzinfo=UTC)),
        figures("JKT-01", "S0", attempts=5),  # no start: no week
    ]  # fmt: skip
    wib = statistics.per_week(rows, "Asia/Jakarta")
    assert [(w.week.isoformat(), w.sessions, w.attempts, w.pauses) for w in wib] == [
        ("2026-11-23", 2, 70, 3), ("2026-11-30", 0, 0, 0), ("2026-12-07", 0, 0, 0),
        ("2026-12-14", 1, 10, 0),
    ]  # fmt: skip
    wit = statistics.per_week(rows, "Asia/Jayapura")
    assert [(w.week.isoformat(), w.sessions) for w in wit][:2] == [
        ("2026-11-23", 1),
        ("2026-11-30", 1),
    ]
    assert wib[0].confirmed_proxies == 1 and wib[0].false_alarms == 1
    assert [w.week.isoformat() for w in statistics.per_week(rows, "Asia/Jakarta", most=2)] == [
        "2026-12-07",
        "2026-12-14",
    ]
    assert statistics.per_week([], "Asia/Jakarta") == []
