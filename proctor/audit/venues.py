"""The venue an audit record is about, found from its subject when the record is written, so
the committee can read one venue's trail (`browse.RecordFilter.venue`) without joining every
kind of subject. National subjects (candidates, the watchlist, duplicate faces, the service)
belong to no venue.

Lookups go by primary key: the subject was loaded by the transaction that changes it, so they
are answered from the session's identity map, not the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from proctor.store.access import Account, ApiToken, ConsoleSession
from proctor.store.complaints import Complaint, WbsReport
from proctor.store.evidence import Incident
from proctor.store.exam import Attempt, ExamSession, Station
from proctor.store.identity import WatchlistHit

Resolver = Callable[[Session, uuid.UUID], "uuid.UUID | None"]


def _column(model, attribute: str = "venue_id") -> Resolver:
    def resolve(session: Session, ident: uuid.UUID) -> uuid.UUID | None:
        row = session.get(model, ident)
        return None if row is None else getattr(row, attribute)

    return resolve


def _attempt(session: Session, ident: uuid.UUID) -> uuid.UUID | None:
    attempt = session.get(Attempt, ident)
    return None if attempt is None else _column(Station)(session, attempt.station_id)


def _incident(session: Session, ident: uuid.UUID) -> uuid.UUID | None:
    incident = session.get(Incident, ident)
    return None if incident is None else _attempt(session, incident.attempt_id)


def _account(session: Session, ident: uuid.UUID) -> uuid.UUID | None:
    account = session.get(Account, ident)
    return None if account is None else _column(ApiToken)(session, account.principal_id)


def _console(session: Session, ident: uuid.UUID) -> uuid.UUID | None:
    login = session.get(ConsoleSession, ident)
    return None if login is None else _column(ApiToken)(session, login.token_id)


RESOLVERS: dict[str, Resolver] = {
    "venue": lambda _session, ident: ident,
    "station": _column(Station),
    "session": _column(ExamSession),
    "attempt": _attempt,
    "incident": _incident,
    "complaint": _column(Complaint),
    "wbs_report": _column(WbsReport),
    "watchlist_hit": _column(WatchlistHit),
    "token": _column(ApiToken),
    "account": _account,
    "console": _console,
}


def venue_of(session: Session, subject_type: str, subject_id: uuid.UUID | str) -> uuid.UUID | None:
    resolve = RESOLVERS.get(subject_type)
    if resolve is None:
        return None
    try:
        ident = subject_id if isinstance(subject_id, uuid.UUID) else uuid.UUID(str(subject_id))
    except ValueError:  # a subject named by a word ("login"), not a row
        return None
    return resolve(session, ident)
