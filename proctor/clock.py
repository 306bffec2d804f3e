"""The one clock the code reads: aware UTC, so every stored and sent time means one instant.

Kept apart from the persistence layer so that the station agent can read it without loading
the database code."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
