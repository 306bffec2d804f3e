"""API tokens: random, shown once, stored as a digest."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from proctor.store.base import Base, CreatedMixin, IdMixin


class ApiToken(IdMixin, CreatedMixin, Base):
    __tablename__ = "api_tokens"

    label: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(24))
    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venues.id"))
    station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stations.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None]


class ConsoleSession(IdMixin, CreatedMixin, Base):
    """A web console login: the browser holds a random cookie, stored here as SHA-256."""

    __tablename__ = "console_sessions"

    token_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_tokens.id"), index=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
