"""Venues, their exam sessions and their stations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import AwareDatetime, Field

from proctor.access.tokens import Role
from proctor.api.deps import Caller, DbSession
from proctor.api.schemas import Code, Name, Public, Strict
from proctor.exam import catalog
from proctor.local_time import DEFAULT_ZONE, TimeZoneName
from proctor.store.exam import ExamSession, Station, Venue

router = APIRouter(tags=["venues"])


class VenueCreate(Strict):
    code: Code
    name: Name
    address: str = Field("", max_length=500)
    time_zone: TimeZoneName = Field(
        DEFAULT_ZONE, description="Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
    )


class VenueZone(Strict):
    time_zone: TimeZoneName


class VenuePublic(Public):
    id: uuid.UUID
    code: str
    name: str
    address: str
    time_zone: str
    created_at: datetime


class SessionCreate(Strict):
    code: Code
    starts_at: AwareDatetime
    duration_minutes: int = Field(ge=1, le=24 * 60)


class SessionPublic(Public):
    id: uuid.UUID
    venue_id: uuid.UUID
    code: str
    starts_at: datetime
    duration_minutes: int


class StationCreate(Strict):
    code: Code


class StationPublic(Public):
    id: uuid.UUID
    venue_id: uuid.UUID
    code: str
    last_seq: int
    last_seen_at: datetime | None
    last_heartbeat_at: datetime | None
    agent_status: dict[str, Any] | None


@router.post("/venues", status_code=201, response_model=VenuePublic)
def create_venue(body: VenueCreate, db: DbSession, caller: Caller) -> Venue:
    caller.require(Role.ADMIN)
    venue = catalog.create_venue(db, **body.model_dump(), actor=caller.actor)
    db.commit()
    return venue


@router.get("/venues", response_model=list[VenuePublic])
def list_venues(db: DbSession, caller: Caller) -> list[Venue]:
    caller.require(Role.ADMIN, Role.COMMITTEE, Role.PROCTOR)
    return catalog.venues(db, only=caller.venue_id if caller.role is Role.PROCTOR else None)


@router.get("/venues/{venue_id}", response_model=VenuePublic)
def get_venue(venue_id: uuid.UUID, db: DbSession, caller: Caller) -> Venue:
    caller.require(Role.ADMIN, Role.COMMITTEE, Role.PROCTOR)
    venue = catalog.get(db, Venue, venue_id, "venue")
    caller.check_venue(venue.id, write=False)
    return venue


@router.put("/venues/{venue_id}/time-zone", response_model=VenuePublic)
def set_time_zone(venue_id: uuid.UUID, body: VenueZone, db: DbSession, caller: Caller) -> Venue:
    """Correct a venue's zone (venues made before zones were kept are on WIB)."""
    caller.require(Role.ADMIN)
    venue = catalog.get(db, Venue, venue_id, "venue", lock=True)
    catalog.set_time_zone(db, venue, body.time_zone, actor=caller.actor)
    db.commit()
    return venue


@router.post("/venues/{venue_id}/sessions", status_code=201, response_model=SessionPublic)
def create_session(
    venue_id: uuid.UUID, body: SessionCreate, db: DbSession, caller: Caller
) -> ExamSession:
    caller.require(Role.ADMIN)
    exam = catalog.create_session(db, venue_id=venue_id, **body.model_dump(), actor=caller.actor)
    db.commit()
    return exam


@router.get("/venues/{venue_id}/sessions", response_model=list[SessionPublic])
def list_sessions(venue_id: uuid.UUID, db: DbSession, caller: Caller) -> list[ExamSession]:
    caller.require(Role.ADMIN, Role.COMMITTEE, Role.PROCTOR)
    catalog.get(db, Venue, venue_id, "venue")
    caller.check_venue(venue_id, write=False)
    return catalog.sessions_of(db, venue_id)


@router.post("/venues/{venue_id}/stations", status_code=201, response_model=StationPublic)
def create_station(
    venue_id: uuid.UUID, body: StationCreate, db: DbSession, caller: Caller
) -> Station:
    caller.require(Role.ADMIN)
    station = catalog.create_station(db, venue_id=venue_id, code=body.code, actor=caller.actor)
    db.commit()
    return station


@router.get("/venues/{venue_id}/stations", response_model=list[StationPublic])
def list_stations(venue_id: uuid.UUID, db: DbSession, caller: Caller) -> list[Station]:
    caller.require(Role.ADMIN, Role.COMMITTEE, Role.PROCTOR)
    catalog.get(db, Venue, venue_id, "venue")
    caller.check_venue(venue_id, write=False)
    return catalog.stations_of(db, venue_id)
