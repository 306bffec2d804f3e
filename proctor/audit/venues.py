"""The venue an audit record is about, found from its subject when the record is written, so
the committee can read one venue's trail (`browse.RecordFilter.venue`) without joining every
kind of subject. National subjects (candidates, the watchlist, duplicate faces, the service)
belong to no venue.

Lookups go by primary key: the subject was loaded by the transaction that changes it, so they
are answered from the session's identity map, not the database.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

Resolver = Callable[[Session, uuid.UUID], "uuid.UUID | None"]


def _model(name: str) -> type:
    """A model by `module:Class`, imported on first use: a command that writes one record
    (`proctor token create`) need not load every table's module to start."""
    module, _, cls = name.partition(":")
    return getattr(importlib.import_module(f"proctor.store.{module}"), cls)


def _column(name: str, attribute: str = "venue_id") -> Resolver:
    def resolve(session: Session, ident: uuid.UUID) -> uuid.UUID | None:
        row = session.get(_model(name), ident)
        return None if row is None else getattr(row, attribute)

    return resolve


def _via(name: str, attribute: str, then: Resolver) -> Resolver:
    """The venue of the row `attribute` points to, by `then`."""

    def resolve(session: Session, ident: uuid.UUID) -> uuid.UUID | None:
        row = session.get(_model(name), ident)
        return None if row is None else then(session, getattr(row, attribute))

    return resolve


_station = _column("exam:Station")
_token = _column("access:ApiToken")
_attempt = _via("exam:Attempt", "station_id", _station)

RESOLVERS: dict[str, Resolver] = {
    "venue": lambda _session, ident: ident,
    "station": _station,
    "session": _column("exam:ExamSession"),
    "attempt": _attempt,
    "incident": _via("evidence:Incident", "attempt_id", _attempt),
    "complaint": _column("complaints:Complaint"),
    "wbs_report": _column("complaints:WbsReport"),
    "watchlist_hit": _column("identity:WatchlistHit"),
    "token": _token,
    "account": _via("access:Account", "principal_id", _token),
    "console": _via("access:ConsoleSession", "token_id", _token),
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
