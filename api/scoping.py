"""Load a record and check the caller may see or change it (403 outside the scope)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from proctor.access.tokens import Principal
from proctor.exam import catalog
from proctor.store.exam import Attempt, Station


def station_in_scope(
    db: Session, caller: Principal, station_id: uuid.UUID, *, write: bool
) -> Station:
    station = catalog.get(db, Station, station_id, "station")
    caller.check_station(station.id, station.venue_id, write=write)
    return station


def attempt_in_scope(
    db: Session, caller: Principal, attempt_id: uuid.UUID, *, write: bool, lock: bool = False
) -> Attempt:
    """`lock` takes a row lock (PostgreSQL), so concurrent changes to one attempt queue up."""
    attempt = catalog.get(db, Attempt, attempt_id, "attempt", lock=lock)
    caller.check_station(attempt.station_id, attempt.station.venue_id, write=write)
    return attempt
