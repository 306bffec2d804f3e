"""API tokens: random, shown once, stored as a digest."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from proctor.store import exam  # noqa: F401 - the tables its foreign keys name
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


class Account(IdMixin, CreatedMixin, Base):
    """A person who logs in to the console with a username and a password (Argon2id).

    Audit records and decisions name callers by a principal row in `api_tokens`; an account
    owns one (`principal_id`) whose secret was never shown, so it is no bearer token. It carries
    the account's role, venue and display name, and revoking it ends the person's sessions."""

    __tablename__ = "accounts"

    username: Mapped[str] = mapped_column(String(40), unique=True)
    principal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_tokens.id"), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    password_changed_at: Mapped[datetime]
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]
