"""The committee's figures per venue and exam session: checkpoint failures, pauses, confirmed
proxies, false alarms, time to decision; and complaint deadline compliance per venue."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from proctor import local_time
from proctor.review.review import DECISIONS
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
    starts_at: datetime | None = None  # the session's start, to read the figures over time


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
    """Counted by the database, grouped by venue and session; only incidents (pauses, a small
    share of attempts) are read row by row, for the time to their decision."""
    key = (Venue.code, ExamSession.code)

    def grouped(query: Select) -> Select:
        return (
            query.join(Station, Station.id == Attempt.station_id)
            .join(Venue, Venue.id == Station.venue_id)
            .join(ExamSession, ExamSession.id == Attempt.session_id)
            .group_by(*key)
        )

    figures = {
        (venue, exam): SessionFigures(venue, exam, attempts=count)
        for venue, exam, count in db.execute(grouped(select(*key, func.count(Attempt.id))))
    }
    failures = grouped(
        select(*key, func.count(Checkpoint.id))
        .select_from(Checkpoint)
        .join(Attempt, Attempt.id == Checkpoint.attempt_id)
        .where(Checkpoint.decision != "match")
    )
    for venue, exam, count in db.execute(failures):
        figures[venue, exam].checkpoint_failures = count
    incidents = (
        select(Incident.id, Incident.opened_at, *key)
        .join(Attempt, Attempt.id == Incident.attempt_id)
        .join(Station, Station.id == Attempt.station_id)
        .join(Venue, Venue.id == Station.venue_id)
        .join(ExamSession, ExamSession.id == Attempt.session_id)
    )
    final = _final_decisions(db)
    waits: dict[tuple[str, str], list[float]] = defaultdict(list)
    for incident_id, opened_at, venue, exam in db.execute(incidents):
        row = figures[venue, exam]
        row.pauses += 1
        decided = final.get(incident_id)
        if decided is not None:
            action, at = decided
            row.confirmed_proxies += action == "confirmed_proxy"
            row.false_alarms += action == "false_alarm"
            row.other_violations += action == "other_violation"
            waits[venue, exam].append((at - opened_at).total_seconds() / 3600)
    for group, hours in waits.items():
        figures[group].median_hours_to_decision = round(statistics.median(hours), 2)
    starts = select(Venue.code, ExamSession.code, ExamSession.starts_at).join(
        Venue, Venue.id == ExamSession.venue_id
    )
    for venue, exam, starts_at in db.execute(starts):
        if (venue, exam) in figures:
            figures[venue, exam].starts_at = starts_at
    # Oldest session first: the committee reads the figures over time.
    return sorted(figures.values(), key=lambda f: (f.starts_at or datetime.min.replace(tzinfo=UTC),
                                                   f.venue, f.session))  # fmt: skip


@dataclass
class WeekFigures:
    """The sessions that started in one week (Monday to Sunday in the reader's zone)."""

    week: date  # its Monday
    sessions: int = 0
    attempts: int = 0
    checkpoint_failures: int = 0
    pauses: int = 0
    confirmed_proxies: int = 0
    false_alarms: int = 0


# The counts a week sums from its sessions: every field but the week and its session count.
_SUMMED = tuple(f.name for f in fields(WeekFigures) if f.name not in ("week", "sessions"))


def per_week(rows: list[SessionFigures], zone: str, most: int = 26) -> list[WeekFigures]:
    """`rows` summed by the week their session started, every week from the first to the last
    (a quiet week shows as one, not as a gap closed up), the latest `most` weeks."""
    weeks: dict[date, WeekFigures] = {}
    for row in rows:
        if row.starts_at is None:
            continue
        day = local_time.local(row.starts_at, zone).date()
        monday = day - timedelta(days=day.weekday())
        week = weeks.setdefault(monday, WeekFigures(monday))
        week.sessions += 1
        for name in _SUMMED:
            setattr(week, name, getattr(week, name) + getattr(row, name))
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    first = max(first, last - timedelta(weeks=most - 1))
    return [
        weeks.get(first + timedelta(weeks=i), WeekFigures(first + timedelta(weeks=i)))
        for i in range((last - first).days // 7 + 1)
    ]


def _final_decisions(db: Session) -> dict:
    """incident id -> (its latest decision, when it was taken)."""
    latest: dict = {}
    query = (
        select(IncidentDecision.incident_id, IncidentDecision.action, IncidentDecision.at)
        .where(IncidentDecision.action.in_([str(d) for d in DECISIONS]))
        .order_by(IncidentDecision.at)
    )
    for incident_id, action, at in db.execute(query):
        latest[incident_id] = (action, at)
    return latest


def compliance(db: Session, now) -> list[Compliance]:
    """Per venue, counted by the database: resolved, resolved by the deadline, open past it."""
    resolved = Complaint.resolved_at.is_not(None)
    query = (
        select(
            Venue.code,
            func.count(Complaint.id).filter(resolved),
            func.count(Complaint.id).filter(
                resolved, Complaint.resolved_at <= Complaint.resolution_due
            ),
            func.count(Complaint.id).filter(~resolved, Complaint.resolution_due < now),
        )
        .select_from(Complaint)
        .outerjoin(Venue, Venue.id == Complaint.venue_id)
        .group_by(Venue.code)
    )
    out = [Compliance(code or "-", *counts) for code, *counts in db.execute(query)]
    return sorted(out, key=lambda c: c.venue)
