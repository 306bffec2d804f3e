"""Roles, bearer tokens and scope rules.

Tokens are 256 random bits, shown once at issue and stored as SHA-256 digests (a fast digest is
right for secrets this long; slow hashes are for guessable secrets).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.clock import utcnow
from proctor.errors import AccessError, ErrorCode, NotFoundError, RejectedInputError
from proctor.store.access import ApiToken
from proctor.store.exam import Station, Venue

TOKEN_PREFIX = "prt_"  # noqa: S105 - a label that makes leaked tokens easy to scan for


class Role(StrEnum):
    ADMIN = "admin"
    PROCTOR = "proctor"  # one venue
    COMMITTEE = "committee"  # reads everything, changes nothing
    STATION = "station"  # one exam station's device
    COMPLAINT_OFFICER = "complaint_officer"  # complaints and whistleblowing reports
    CUSTODIAN = "custodian"  # may reveal a whistleblower's identity, with a justification


@dataclass(frozen=True, slots=True)
class Principal:
    token_id: uuid.UUID
    role: Role
    venue_id: uuid.UUID | None = None
    station_id: uuid.UUID | None = None

    @property
    def actor(self) -> str:
        """How audit records name this caller (the token, never its secret)."""
        return f"{self.role}:{self.token_id}"

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            raise AccessError(
                f"the {self.role} role may not do this",
                code=ErrorCode.FORBIDDEN,
                allowed=[str(r) for r in roles],
            )

    def can_read_venue(self, venue_id: uuid.UUID) -> bool:
        if self.role in (Role.ADMIN, Role.COMMITTEE):
            return True
        return self.venue_id == venue_id

    def check_venue(self, venue_id: uuid.UUID, *, write: bool) -> None:
        """Refuse a venue outside this caller's scope, or any change by the committee."""
        if write and self.role is Role.COMMITTEE:
            raise AccessError("the committee has read-only access", code=ErrorCode.FORBIDDEN)
        if not self.can_read_venue(venue_id):
            raise AccessError("this venue is outside your scope", code=ErrorCode.FORBIDDEN)

    def check_station(self, station_id: uuid.UUID, venue_id: uuid.UUID, *, write: bool) -> None:
        if self.role is Role.STATION:
            if station_id != self.station_id:
                raise AccessError("a station may act only for itself", code=ErrorCode.FORBIDDEN)
            return
        self.check_venue(venue_id, write=write)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    session: Session,
    role: Role,
    *,
    actor: str,
    venue_id: uuid.UUID | None = None,
    station_id: uuid.UUID | None = None,
    label: str = "",
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is not stored and cannot be
    recovered."""
    if role is Role.PROCTOR and (venue_id is None or station_id is not None):
        raise RejectedInputError("a proctor token needs a venue", code=ErrorCode.REQUEST_INVALID)
    if role is Role.STATION:
        if station_id is None:
            raise RejectedInputError(
                "a station token needs a station", code=ErrorCode.REQUEST_INVALID
            )
        station = session.get(Station, station_id)
        if station is None:
            raise NotFoundError(f"no station {station_id}", code=ErrorCode.NOT_FOUND)
        venue_id = station.venue_id
    if role not in (Role.PROCTOR, Role.STATION) and (venue_id or station_id):
        raise RejectedInputError(
            f"a {role} token is not bound to a venue or station", code=ErrorCode.REQUEST_INVALID
        )
    if venue_id is not None and session.get(Venue, venue_id) is None:
        raise NotFoundError(f"no venue {venue_id}", code=ErrorCode.NOT_FOUND)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        role=str(role),
        venue_id=venue_id,
        station_id=station_id,
        label=label,
        token_sha256=digest(secret),
    )
    session.add(token)
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="token.issued",
        subject_type="token",
        subject_id=token.id,
        role=str(role),
        venue_id=str(venue_id) if venue_id else None,
        station_id=str(station_id) if station_id else None,
    )
    return token, secret


def revoke_token(session: Session, token_id: uuid.UUID, *, actor: str) -> None:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFoundError(f"no token {token_id}", code=ErrorCode.NOT_FOUND)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        trail.record(
            session, actor=actor, action="token.revoked", subject_type="token", subject_id=token.id
        )


def authenticate(session: Session, secret: str | None) -> Principal:
    if not secret:
        raise AccessError("send a bearer token", code=ErrorCode.UNAUTHENTICATED)
    token = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest(secret)))
    if token is None or token.revoked_at is not None:
        raise AccessError("unknown or revoked token", code=ErrorCode.UNAUTHENTICATED)
    return Principal(token.id, Role(token.role), token.venue_id, token.station_id)


def ensure_active(session: Session, principal: Principal) -> None:
    """Refuse a token revoked since it was authenticated (long-lived event streams)."""
    token = session.get(ApiToken, principal.token_id)
    if token is None or token.revoked_at is not None:
        raise AccessError("the token was revoked", code=ErrorCode.UNAUTHENTICATED)


def labels(session: Session, token_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """token id -> label, for the labelled ones among `token_ids` (one query)."""
    ids = list(token_ids)
    if not ids:
        return {}
    rows = session.execute(select(ApiToken.id, ApiToken.label).where(ApiToken.id.in_(ids)))
    return {token_id: label for token_id, label in rows if label}
