"""Web console logins: a role token is exchanged once for a session cookie (256 random bits,
stored as SHA-256), with its own CSRF token for forms. Logins, failed logins and logouts are
audited; a session ends at logout, at expiry, or when its token is revoked."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

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
        subject_id=record.id,
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


def log_out(session: Session, principal: Principal, record: ConsoleSession) -> None:
    record.ended_at = utcnow()
    trail.record(
        session, actor=principal.actor, action="console.logout", subject_type="console",
        subject_id=record.id,
    )  # fmt: skip
