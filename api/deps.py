"""Typed dependencies: the service context, a database session, the authenticated caller."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from proctor.access.tokens import Principal, Role, authenticate
from proctor.api.context import ServiceContext

T = TypeVar("T")
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


async def as_station(
    context: ServiceContext,
    credentials: HTTPAuthorizationCredentials | None,
    work: Callable[[Session, Principal], T],
) -> T:
    """`work(session, station)` with the station calling, read on that session: the stations'
    frequent short writes run whole in one trip to the thread pool (a plain `def` dependency
    costs a trip of its own) on one connection."""

    def whole() -> T:
        with context.sessions() as session:
            caller = authenticate(session, credentials.credentials if credentials else None)
            caller.require(Role.STATION)
            return work(session, caller)

    return await run_in_threadpool(whole)
