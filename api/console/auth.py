"""Who is at the console: the session cookie, the CSRF token of forms, and the redirect to
the login page when there is no session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor import local_time
from proctor.access.console_sessions import check_csrf, resume
from proctor.access.tokens import Principal
from proctor.errors import ProctorError
from proctor.store.access import Account, ApiToken, ConsoleSession
from proctor.store.exam import Venue

COOKIE = "proctor_console"
ZONE_COOKIE = "proctor_zone"


class LoginRequired(Exception):  # noqa: N818 - a redirect, not an error
    pass


@dataclass(frozen=True)
class ConsoleUser:
    principal: Principal
    record: ConsoleSession
    # The zone times are read in: the venue's for its staff; chosen (a cookie) by the others.
    zone: str = local_time.DEFAULT_ZONE
    name: str = ""  # an account's display name, or the token's label
    has_password: bool = False  # an account's session (a token's has none to change)

    @property
    def csrf(self) -> str:
        return self.record.csrf


def current_user(request: Request, db: Session) -> ConsoleUser:
    try:
        principal, record = resume(db, request.cookies.get(COOKIE))
    except ProctorError as exc:
        raise LoginRequired from exc
    # One query for the name and whether a password stands behind it (every page asks).
    label, account = db.execute(
        select(ApiToken.label, Account.id)
        .outerjoin(Account, Account.principal_id == ApiToken.id)
        .where(ApiToken.id == principal.token_id)
    ).one()
    return ConsoleUser(
        principal, record, zone=reading_zone(request, db, principal.venue_id), name=label or "",
        has_password=account is not None,
    )  # fmt: skip


def venue_zone(db: Session, venue_id: uuid.UUID | None) -> str | None:
    if venue_id is None:
        return None
    zone = db.scalar(select(Venue.time_zone).where(Venue.id == venue_id))
    return zone if zone in local_time.ZONES else None


def reading_zone(request: Request, db: Session, venue_id: uuid.UUID | None) -> str:
    if zone := venue_zone(db, venue_id):
        return zone
    chosen = request.cookies.get(ZONE_COOKIE, "")
    return chosen if chosen in local_time.ZONES else local_time.DEFAULT_ZONE


async def form_user(request: Request, db: Session) -> tuple[ConsoleUser, dict[str, str]]:
    """The user of a form POST, with its fields; the CSRF token must match the session's."""
    user = current_user(request, db)
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(user.record, form.get("csrf"))
    return user, form


async def _to_login(_request: Request, _exc: Exception) -> RedirectResponse:
    return RedirectResponse("/console/login", status_code=303)


def install(app) -> None:
    app.add_exception_handler(LoginRequired, _to_login)
