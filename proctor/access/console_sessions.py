"""Web console logins: a person's username and password (`proctor.access.accounts`), or a
role token, is exchanged once for a session cookie (256 random bits, stored as SHA-256), with
its own CSRF token for forms. Logins, failed logins and logouts are audited; a session ends at
logout, at expiry, or when its token (an account's principal) is revoked."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.access import accounts
from proctor.access.tokens import Principal, Role, authenticate, digest, ensure_active
from proctor.audit import trail
from proctor.clock import utcnow
from proctor.errors import AccessError, ErrorCode, ProctorError
from proctor.store.access import ApiToken, ConsoleSession

LIFETIME = timedelta(hours=10)  # an exam day


@dataclass(frozen=True)
class Login:
    principal: Principal
    record: ConsoleSession
    cookie: str  # given to the browser once


def log_in(session: Session, token_secret: str) -> Login:
    try:
        principal = authenticate(session, token_secret.strip())
        if principal.role is Role.STATION:
            raise AccessError("station tokens do not open the console", code=ErrorCode.FORBIDDEN)
    except ProctorError as exc:
        trail.record(
            session, actor="anonymous", action="console.login_failed", subject_type="console",
            subject_id="login", code=str(exc.code),
        )  # fmt: skip
        session.commit()  # the failure is recorded although the login fails
        raise
    return start(session, principal)


def log_in_with_password(session: Session, username: str, password: str) -> Login:
    _, principal = accounts.authenticate_password(session, username, password)
    return start(session, principal, how="password")


def start(session: Session, principal: Principal, *, how: str = "token") -> Login:
    cookie = secrets.token_urlsafe(32)
    record = ConsoleSession(
        token_id=principal.token_id,
        secret_sha256=digest(cookie),
        csrf=secrets.token_urlsafe(32),
        expires_at=utcnow() + LIFETIME,
    )
    session.add(record)
    session.flush()
    trail.record(
        session, actor=principal.actor, action="console.login", subject_type="console",
        subject_id=record.id, by=how,
    )  # fmt: skip
    return Login(principal, record, cookie)


def resume(session: Session, cookie: str | None) -> tuple[Principal, ConsoleSession]:
    if not cookie:
        raise AccessError("log in first", code=ErrorCode.UNAUTHENTICATED)
    record = session.scalar(
        select(ConsoleSession).where(ConsoleSession.secret_sha256 == digest(cookie))
    )
    if record is None or record.ended_at is not None or record.expires_at <= utcnow():
        raise AccessError("the session has ended; log in again", code=ErrorCode.UNAUTHENTICATED)
    token = session.get(ApiToken, record.token_id)
    assert token is not None  # a foreign key
    principal = Principal(token.id, Role(token.role), token.venue_id, token.station_id)
    ensure_active(session, principal)
    return principal, record


def check_csrf(record: ConsoleSession, given: str | None) -> None:
    if not given or not hmac.compare_digest(given, record.csrf):
        raise AccessError("the form is stale; reload the page", code=ErrorCode.CSRF_INVALID)


def end_all(session: Session, principal: Principal, *, actor: str) -> int:
    """End every open session of `principal` (after a password change)."""
    now = utcnow()
    records = session.scalars(
        select(ConsoleSession).where(
            ConsoleSession.token_id == principal.token_id, ConsoleSession.ended_at.is_(None)
        )
    ).all()
    for record in records:
        record.ended_at = now
        trail.record(
            session, actor=actor, action="console.logout", subject_type="console",
            subject_id=record.id, why="password_changed",
        )  # fmt: skip
    return len(records)


def log_out(session: Session, principal: Principal, record: ConsoleSession) -> None:
    record.ended_at = utcnow()
    trail.record(
        session, actor=principal.actor, action="console.logout", subject_type="console",
        subject_id=record.id,
    )  # fmt: skip
