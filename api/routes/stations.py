"""A station's state: a plain endpoint for polling and a server-sent events stream."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from proctor.access.tokens import Principal, ensure_active
from proctor.api.context import ServiceContext
from proctor.api.deps import Caller, Context
from proctor.api.routes.audit_log import SignedHead, signed_head
from proctor.api.scoping import station_in_scope
from proctor.api.views import AttemptPublic
from proctor.clock import utcnow
from proctor.errors import ProctorError
from proctor.exam.stations import attempt_status, current_attempt
from proctor.survey.answers import station_offer

router = APIRouter(tags=["stations"])
DISCONNECT_POLL_SECONDS = 1.0


class StationState(BaseModel):
    station_id: uuid.UUID
    server_time: datetime
    attempt: AttemptPublic | None
    # The audit log's latest signed head: the agent keeps the heads it sees, a witness that
    # a later log must extend.
    audit_head: SignedHead | None = None
    # The attempt whose candidate the page asks for the satisfaction survey, once it ended.
    survey_attempt_id: uuid.UUID | None = None


def _state(context: ServiceContext, caller: Principal, station_id: uuid.UUID) -> StationState:
    with context.sessions() as db:
        ensure_active(db, caller)
        station = station_in_scope(db, caller, station_id, write=False)
        now = utcnow()
        attempt = current_attempt(db, station.id)
        view = AttemptPublic.of(attempt_status(db, attempt, now)) if attempt else None
        offered = None if attempt else station_offer(db, station.id, context.settings.survey, now)
    head = signed_head(context.heads.latest()) if context.heads else None
    return StationState(
        station_id=station.id, server_time=now, attempt=view, audit_head=head,
        survey_attempt_id=offered.id if offered else None,
    )  # fmt: skip


def checked_state(station_id: uuid.UUID, caller: Caller, context: Context) -> StationState:
    return _state(context, caller, station_id)


# A dependency, so that a 401/403/404 is answered before a stream's 200 headers go out.
CurrentState = Annotated[StationState, Depends(checked_state)]


@router.get("/stations/{station_id}/state", response_model=StationState)
def station_state(state: CurrentState) -> StationState:
    """The station's current attempt and notice, for agents and pages that poll."""
    return state


@router.get("/stations/{station_id}/events", response_class=EventSourceResponse)
async def station_events(
    station_id: uuid.UUID,
    request: Request,
    caller: Caller,
    context: Context,
    _access: CurrentState,
) -> AsyncIterator[ServerSentEvent]:
    """`state` events: one at once, one on every change (a pause within a moment of its
    commit, from any server process), and one per heartbeat interval."""
    heartbeat = context.settings.sse_heartbeat_seconds
    with context.bus.subscribe(station_id) as queue:
        # Read after subscribing: a change committed in between is then seen either way.
        first = await run_in_threadpool(_state, context, caller, station_id)
        yield ServerSentEvent(data=first.model_dump(mode="json"), event="state", retry=2000)
        last_sent = time.monotonic()
        while not context.bus.closing and not await request.is_disconnected():
            # Wake at least every second, so a departed client is noticed and its task ends.
            try:
                if await asyncio.wait_for(queue.get(), timeout=DISCONNECT_POLL_SECONDS) is None:
                    return  # the server is stopping; the client reconnects to one that is up
            except TimeoutError:
                if time.monotonic() - last_sent < heartbeat:
                    continue
            try:
                state = await run_in_threadpool(_state, context, caller, station_id)
            except ProctorError as exc:  # revoked meanwhile: say so and end the stream
                yield ServerSentEvent(data=exc.to_dict(), event="error")
                return
            yield ServerSentEvent(data=state.model_dump(mode="json"), event="state")
            last_sent = time.monotonic()
