"""The committee's figures per venue and exam session: checkpoint failures, pauses, confirmed
proxies, false alarms, time to decision; and complaint deadline compliance per venue."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.review import DECISIONS
from proctor.store.complaints import Complaint, IncidentDecision
from proctor.store.evidence import Checkpoint, Incident
from proctor.store.exam import Attempt, ExamSession, Station, Venue


@dataclass
class SessionFigures:
    venue: str
    session: str
    attempts: int = 0
    checkpoint_failures: int = 0
    pauses: int = 0
    confirmed_proxies: int = 0
    false_alarms: int = 0
    other_violations: int = 0
    median_hours_to_decision: float | None = None


@dataclass
class Compliance:
    venue: str
    resolved: int
    on_time: int
    open_overdue: int

    @property
    def share_on_time(self) -> float | None:
        return None if not self.resolved else round(self.on_time / self.resolved, 3)


def per_session(db: Session) -> list[SessionFigures]:
    rows = db.execute(
        select(Attempt.id, Venue.code, ExamSession.code)
        .join(Station, Station.id == Attempt.station_id)
        .join(Venue, Venue.id == Station.venue_id)
        .join(ExamSession, ExamSession.id == Attempt.session_id)
    ).all()
    key_of = {attempt: (venue, exam) for attempt, venue, exam in rows}
    figures: dict[tuple[str, str], SessionFigures] = {}
    for venue, exam in key_of.values():
        figures.setdefault((venue, exam), SessionFigures(venue, exam)).attempts += 1
    for attempt_id, decision in db.execute(select(Checkpoint.attempt_id, Checkpoint.decision)):
        if decision != "match" and attempt_id in key_of:
            figures[key_of[attempt_id]].checkpoint_failures += 1
    final = _final_decisions(db)
    waits: dict[tuple[str, str], list[float]] = defaultdict(list)
    for incident in db.scalars(select(Incident)):
        key = key_of.get(incident.attempt_id)
        if key is None:
            continue
        row = figures[key]
        row.pauses += 1
        decided = final.get(incident.id)
        if decided is not None:
            action, at = decided
            row.confirmed_proxies += action == "confirmed_proxy"
            row.false_alarms += action == "false_alarm"
            row.other_violations += action == "other_violation"
            waits[key].append((at - incident.opened_at).total_seconds() / 3600)
    for key, hours in waits.items():
        figures[key].median_hours_to_decision = round(statistics.median(hours), 2)
    return sorted(figures.values(), key=lambda f: (f.venue, f.session))


def _final_decisions(db: Session) -> dict:
    """incident id -> (its latest decision, when it was taken)."""
    latest: dict = {}
    query = (
        select(IncidentDecision)
        .where(IncidentDecision.action.in_([str(d) for d in DECISIONS]))
        .order_by(IncidentDecision.at)
    )
    for decision in db.scalars(query):
        latest[decision.incident_id] = (decision.action, decision.at)
    return latest


def compliance(db: Session, now) -> list[Compliance]:
    venues = dict(db.execute(select(Venue.id, Venue.code)).all())
    out: dict[str, Compliance] = {}
    for case in db.scalars(select(Complaint)):
        name = venues.get(case.venue_id, "-")
        row = out.setdefault(name, Compliance(name, 0, 0, 0))
        if case.resolved_at is not None:
            row.resolved += 1
            row.on_time += case.resolved_at <= case.resolution_due
        elif now > case.resolution_due:
            row.open_overdue += 1
    return sorted(out.values(), key=lambda c: c.venue)
