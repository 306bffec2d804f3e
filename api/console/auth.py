"""Who is at the console: the session cookie, the CSRF token of forms, and the redirect to
the login page when there is no session."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from proctor.access.console_sessions import check_csrf, resume
from proctor.access.tokens import Principal
from proctor.errors import ProctorError
from proctor.store.access import ConsoleSession

COOKIE = "proctor_console"


class LoginRequired(Exception):  # noqa: N818 - a redirect, not an error
    pass


@dataclass(frozen=True)
class ConsoleUser:
    principal: Principal
    record: ConsoleSession

    @property
    def csrf(self) -> str:
        return self.record.csrf


def current_user(request: Request, db: Session) -> ConsoleUser:
    try:
        principal, record = resume(db, request.cookies.get(COOKIE))
    except ProctorError as exc:
        raise LoginRequired from exc
    return ConsoleUser(principal, record)


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
