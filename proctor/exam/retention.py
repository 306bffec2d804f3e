"""The retention schedule applied: an attempt's live pictures (and a closed case's evidence and
the proxy's templates) after their period, registration photos and templates after the
selection cycle. Nothing a case still needs is deleted: an incident not closed (an appeal
reopens one), a complaint about it not closed, an active watchlist entry from it, an open
watchlist hit. A deletion removes the bytes and the data key, not only a link, and writes an
audit record (counts, never data) in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from proctor.audit import trail
from proctor.exam.retention_rules import RetentionRules
from proctor.review.review import ReviewState
from proctor.sealing.upkeep import drop_old_copies
from proctor.store.complaints import Complaint, IncidentDecision
from proctor.store.evidence import Checkpoint, Incident, IncidentEvidence, Observation
from proctor.store.exam import Attempt, Blob, Candidate, ExamSession, RegistrationPhoto
from proctor.store.identity import IncidentFace, WatchlistEntry, WatchlistFace, WatchlistHit

ACTOR = "system:retention"
PAGE = 200  # attempts or candidates looked at per transaction


@dataclass(frozen=True)
class Purge:
    """What one deletion removed (or, in a dry run, would remove)."""

    subject_type: str  # attempt | candidate | watchlist_entry
    subject_id: uuid.UUID
    participant_number: str  # "" for a watchlist entry (its label may name a person)
    kind: str  # live_pictures | registration | watchlist
    images: int
    templates: int


def run(
    sessions: sessionmaker[Session],
    rules: RetentionRules,
    now: datetime,
    *,
    dry_run: bool = False,
    report: Callable[[Purge], None] = lambda _p: None,
) -> list[Purge]:
    """Applies the schedule at `now`, one attempt or candidate per transaction."""
    done: list[Purge] = []
    for due_of, purge_one in (
        (_due_attempts, _purge_attempt),
        (_due_candidates, _purge_candidate),
        (_due_watch_entries, _purge_watch_entry),
    ):
        with sessions() as session:
            due = due_of(session, rules, now)
        for subject_id in due:
            with sessions() as session:
                purge = purge_one(session, subject_id, now, dry_run=dry_run)
                if dry_run:
                    session.rollback()
                else:
                    session.commit()
            if purge is not None:
                done.append(purge)
                report(purge)
    if done and not dry_run:
        drop_old_copies(sessions)
    return done


# -- what is due --------------------------------------------------------------------------
def _held_attempts(session: Session, now: datetime) -> set[uuid.UUID]:
    open_incidents = select(Incident.attempt_id).where(Incident.status != str(ReviewState.CLOSED))
    complained = (
        select(Incident.attempt_id)
        .join(Complaint, Complaint.incident_id == Incident.id)
        .where(Complaint.closed_at.is_(None))
    )
    listed = (
        select(Incident.attempt_id)
        .join(WatchlistEntry, WatchlistEntry.incident_id == Incident.id)
        .where(
            WatchlistEntry.removed_at.is_(None),
            or_(WatchlistEntry.expires_at.is_(None), WatchlistEntry.expires_at > now),
        )
    )
    hits = select(WatchlistHit.attempt_id).where(WatchlistHit.status == "open")
    held: set[uuid.UUID] = set()
    for query in (open_incidents, complained, listed, hits):
        held.update(session.scalars(query))
    return held


def _due_attempts(session: Session, rules: RetentionRules, now: datetime) -> list[uuid.UUID]:
    """Attempts whose live pictures are past their period: `live_days` after the session ends,
    and `case_days` after the last of its incidents closed."""
    held = _held_attempts(session, now)
    closed = dict(
        session.execute(
            select(Incident.attempt_id, func.max(IncidentDecision.at))
            .join(IncidentDecision, IncidentDecision.incident_id == Incident.id)
            .where(IncidentDecision.action == "closed")
            .group_by(Incident.attempt_id)
        ).all()
    )
    rows = session.execute(
        select(Attempt.id, ExamSession.starts_at, ExamSession.duration_minutes)
        .join(ExamSession, ExamSession.id == Attempt.session_id)
        .where(
            Attempt.live_purged_at.is_(None),
            ExamSession.starts_at <= now - timedelta(days=rules.live_days),
        )
    ).all()
    due = []
    for attempt_id, starts_at, minutes in rows:
        ends = starts_at + timedelta(minutes=minutes)
        until = ends + timedelta(days=rules.live_days)
        if attempt_id in closed:
            until = max(until, closed[attempt_id] + timedelta(days=rules.case_days))
        if until <= now and attempt_id not in held:
            due.append(attempt_id)
    return due


def _due_candidates(session: Session, rules: RetentionRules, now: datetime) -> list[uuid.UUID]:
    """After the selection cycle, every candidate with registration data whom no case holds and
    whose cases' evidence (which shows the registration photos) is gone."""
    if rules.registration_until is None:
        return []
    cycle_end = datetime.combine(rules.registration_until, time.max, tzinfo=UTC)
    if now <= cycle_end:
        return []
    held = _held_attempts(session, now)
    waiting = select(Attempt.candidate_id).where(
        or_(Attempt.id.in_(held) if held else False, _evidence_kept())
    )
    return list(
        session.scalars(
            select(Candidate.id).where(
                Candidate.registration_purged_at.is_(None), Candidate.id.not_in(waiting)
            )
        )
    )


def _due_watch_entries(session: Session, rules: RetentionRules, now: datetime) -> list[uuid.UUID]:
    """Watchlist entries removed or expired `case_days` ago that still hold faces."""
    ended = now - timedelta(days=rules.case_days)
    return list(
        session.scalars(
            select(WatchlistEntry.id)
            .where(
                or_(WatchlistEntry.removed_at <= ended, WatchlistEntry.expires_at <= ended),
                WatchlistEntry.id.in_(select(WatchlistFace.entry_id)),
            )
            .order_by(WatchlistEntry.id)
        )
    )


def _evidence_kept():
    """Attempts with an incident whose evidence the live-picture rule has not yet deleted."""
    return Attempt.live_purged_at.is_(None) & Attempt.id.in_(select(Incident.attempt_id))


# -- deleting -------------------------------------------------------------------------------
def _purge_attempt(
    session: Session, attempt_id: uuid.UUID, now: datetime, *, dry_run: bool
) -> Purge | None:
    """None when a case took hold of the attempt since the round looked (an appeal, say)."""
    if attempt_id in _held_attempts(session, now):
        return None
    attempt = session.get(Attempt, attempt_id)
    incidents = select(Incident.id).where(Incident.attempt_id == attempt_id)
    blobs = set(
        session.scalars(select(Checkpoint.photo_blob_id).where(Checkpoint.attempt_id == attempt_id))
    )
    blobs |= set(
        session.scalars(
            select(Observation.snapshot_blob_id).where(
                Observation.attempt_id == attempt_id, Observation.snapshot_blob_id.is_not(None)
            )
        )
    )
    blobs |= set(
        session.scalars(
            select(IncidentEvidence.blob_id).where(
                IncidentEvidence.incident_id.in_(incidents),
                IncidentEvidence.kind != "registration_photo",  # the registration rule's
            )
        )
    )
    if attempt.live_blob_id is not None:
        blobs.add(attempt.live_blob_id)
    templates = session.scalar(
        select(func.count())
        .select_from(IncidentFace)
        .where(IncidentFace.incident_id.in_(incidents))
    )
    images = _purge_blobs(session, blobs, now)
    session.execute(delete(IncidentFace).where(IncidentFace.incident_id.in_(incidents)))
    attempt.live_purged_at = now
    attempt.live_blob_id, attempt.live_at = None, None  # the grid shows no picture, not a gap
    purge = Purge("attempt", attempt_id, attempt.candidate.participant_number, "live_pictures",
                  images, templates or 0)  # fmt: skip
    return _audited(session, purge, dry_run=dry_run)


def _purge_candidate(
    session: Session, candidate_id: uuid.UUID, now: datetime, *, dry_run: bool
) -> Purge | None:
    candidate = session.get(Candidate, candidate_id)
    photos = session.execute(
        select(RegistrationPhoto.id, RegistrationPhoto.blob_id).where(
            RegistrationPhoto.candidate_id == candidate_id
        )
    ).all()
    images = _purge_blobs(session, {blob for _, blob in photos}, now)
    session.execute(delete(RegistrationPhoto).where(RegistrationPhoto.candidate_id == candidate_id))
    candidate.registration_purged_at = now
    purge = Purge("candidate", candidate_id, candidate.participant_number, "registration",
                  images, len(photos))  # fmt: skip
    return _audited(session, purge, dry_run=dry_run)


def _purge_watch_entry(
    session: Session, entry_id: uuid.UUID, now: datetime, *, dry_run: bool
) -> Purge | None:
    """The entry's faces (templates) go; their photos too, unless a case's evidence or another
    entry still shows them (a confirmed proxy's faces are his incident's snapshots)."""
    faces = session.execute(
        select(WatchlistFace.id, WatchlistFace.blob_id).where(WatchlistFace.entry_id == entry_id)
    ).all()
    kept = (
        select(IncidentEvidence.blob_id)
        .join(Incident, Incident.id == IncidentEvidence.incident_id)
        .join(Attempt, Attempt.id == Incident.attempt_id)
        .where(Attempt.live_purged_at.is_(None))
    )
    shown_elsewhere = select(WatchlistFace.blob_id).where(WatchlistFace.entry_id != entry_id)
    photos = {blob for _, blob in faces}
    photos -= set(session.scalars(kept)) | set(session.scalars(shown_elsewhere))
    images = _purge_blobs(session, photos, now)
    session.execute(delete(WatchlistFace).where(WatchlistFace.entry_id == entry_id))
    purge = Purge("watchlist_entry", entry_id, "", "watchlist", images, len(faces))
    return _audited(session, purge, dry_run=dry_run)


def _purge_blobs(session: Session, ids: set[uuid.UUID], now: datetime) -> int:
    """Removes the bytes and the data key (what opens them) of the images not yet purged."""
    if not ids:
        return 0
    table = Blob.__table__
    result = session.execute(
        update(table)
        .where(table.c.id.in_(ids), table.c.purged_at.is_(None))
        .values(data=b"", sealed_key=None, sha256="", size=0, purged_at=now)
    )
    return result.rowcount or 0


def _audited(session: Session, purge: Purge, *, dry_run: bool) -> Purge | None:
    """Records the deletion; None (marked done, nothing to say) when nothing was held."""
    if not (purge.images or purge.templates):
        return None
    if not dry_run:
        _record(session, purge)
    return purge


def _record(session: Session, purge: Purge) -> None:
    trail.record(
        session,
        actor=ACTOR,
        action="data.purged",
        subject_type=purge.subject_type,
        subject_id=purge.subject_id,
        kind=purge.kind,
        images=purge.images,
        templates=purge.templates,
    )
