"""Typed dependencies: the service context, a database session, the authenticated caller."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from proctor.access.tokens import Principal, Role, authenticate
from proctor.api.context import ServiceContext

_bearer = HTTPBearer(auto_error=False, description="A token from `proctor token create`.")


async def get_context(request: Request) -> ServiceContext:
    # async: a plain `def` dependency costs every request a trip to the thread pool.
    return request.app.state.proctor


Context = Annotated[ServiceContext, Depends(get_context)]


def get_session(context: Context) -> Iterator[Session]:
    """One session per request; the route commits, anything else rolls back."""
    with context.sessions() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]


Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_principal(context: Context, credentials: Bearer) -> Principal:
    # A short session of its own: long-lived event streams must not hold a connection.
    with context.sessions() as session:
        return authenticate(session, credentials.credentials if credentials else None)


Caller = Annotated[Principal, Depends(get_principal)]


@contextmanager
def station_request(
    context: ServiceContext, credentials: HTTPAuthorizationCredentials | None
) -> Iterator[tuple[Session, Principal]]:
    """A station's session with the station calling, read on that session. For the stations'
    frequent short writes, which run whole in one trip to the thread pool (not one per
    dependency) on one connection."""
    with context.sessions() as session:
        caller = authenticate(session, credentials.credentials if credentials else None)
        caller.require(Role.STATION)
        yield session, caller
