"""Station events raised inside a transaction and delivered only once it commits.

Domain code calls `emit`; the service installs the delivery (in-process or PostgreSQL NOTIFY)
with `proctor.api.bus`. A rolled-back transaction delivers nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

PENDING_KEY = "proctor.pending_station_events"


@dataclass(frozen=True, slots=True)
class StationEvent:
    station_id: uuid.UUID
    attempt_id: uuid.UUID
    state: str
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["station_id"], data["attempt_id"] = str(self.station_id), str(self.attempt_id)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StationEvent:
        return cls(
            uuid.UUID(data["station_id"]),
            uuid.UUID(data["attempt_id"]),
            str(data["state"]),
            data.get("reason"),
        )


def emit(session: Session, event: StationEvent) -> None:
    # The event belongs to a transaction: begin one if needed, so that its rollback (which
    # discards the event) is seen even when nothing else was done yet.
    session.connection()
    session.info.setdefault(PENDING_KEY, []).append(event)


def take_pending(session: Session) -> list[StationEvent]:
    return session.info.pop(PENDING_KEY, [])
