"""Typed dependencies: the service context, a database session, the authenticated caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from proctor.access.tokens import Principal, authenticate
from proctor.api.context import ServiceContext

_bearer = HTTPBearer(auto_error=False, description="A token from `proctor token create`.")


def get_context(request: Request) -> ServiceContext:
    return request.app.state.proctor


Context = Annotated[ServiceContext, Depends(get_context)]


def get_session(context: Context) -> Iterator[Session]:
    """One session per request; the route commits, anything else rolls back."""
    with context.sessions() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]


def get_principal(
    context: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    # A short session of its own: long-lived event streams must not hold a connection.
    with context.sessions() as session:
        return authenticate(session, credentials.credentials if credentials else None)


Caller = Annotated[Principal, Depends(get_principal)]


def get_principal_in_request(
    db: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, read on the request's own session: for the stations' frequent short
    writes, one connection and one round of statements fewer per request."""
    return authenticate(db, credentials.credentials if credentials else None)


RequestCaller = Annotated[Principal, Depends(get_principal_in_request)]
