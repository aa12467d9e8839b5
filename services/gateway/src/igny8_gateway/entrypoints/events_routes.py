"""``GET /api/v1/events/stream``: the caller's account's events (operation progress and domain
events) as server-sent events. Editors and viewers get only events about sites granted to them.

EventSource cannot set headers, so the access token may also come as ``?access_token=``; it is
checked exactly like the header. The stream ends when the token expires (the client reconnects
with a fresh one, sending ``Last-Event-ID``).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Query
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import Request

from igny8_gateway.adapters.event_hub import EventHub, LiveEvent
from igny8_gateway.domain.authentication import Unauthenticated
from igny8_gateway.domain.model import Actor
from igny8_gateway.entrypoints.deps import security_of
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.service_layer import auth
from igny8_gateway.service_layer.common import site_scope
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.http import runtime_of

router = api_router("/api/v1/events", "events")
routers = (router,)

HEARTBEAT_SECONDS = 15.0
_bearer = HTTPBearer(auto_error=False, description="The access token (or ?access_token=).")


def sse_message(*, event: str, data: str, id: str | None = None) -> str:
    lines = [f"id: {id}"] if id else []
    lines.append(f"event: {event}")
    lines.extend(f"data: {line}" for line in data.splitlines() or [""])
    return "\n".join(lines) + "\n\n"


async def _next(queue: asyncio.Queue[LiveEvent | None], timeout: float) -> LiveEvent | None:
    try:
        return queue.get_nowait()
    except asyncio.QueueEmpty:
        return await asyncio.wait_for(queue.get(), timeout=max(timeout, 0.0))


async def _events(
    hub: EventHub, actor: Actor, sites: frozenset[uuid.UUID] | None, expires_at: datetime,
    last_event_id: str | None,
) -> AsyncIterator[str]:
    with hub.listen(actor.account_id, sites, last_event_id) as listener:
        yield "retry: 3000\n: connected\n\n"
        while True:
            remaining = (expires_at - datetime.now(UTC)).total_seconds()
            if remaining <= 0:
                listener.close("the access token expired; reconnect with a fresh one")
            try:
                item = await _next(listener.queue, min(HEARTBEAT_SECONDS, remaining))
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            if item is None:
                reason = json.dumps({"reason": listener.closed_reason})
                yield sse_message(event="stream.closed", data=reason)
                return
            yield sse_message(id=item.id, event=item.subject, data=item.envelope)


STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {200: {
    "description": "Server-sent events: `event` is the message subject (e.g. "
                   "`evt.writer.operation.updated.v1`), `data` its JSON envelope, `id` the "
                   "event id to send back as `Last-Event-ID`; `stream.closed` ends the stream.",
    "content": {"text/event-stream": {"schema": {"type": "string"}}},
}}


@router.get("/stream", summary="Server-sent events: the account's progress and domain events",
            response_class=StreamingResponse, responses=STREAM_RESPONSES)
async def stream_events(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    access_token: Annotated[str | None, Query(max_length=4096,
                                              description="For EventSource (no headers)")] = None,
    last_event_id: Annotated[str | None, Header(max_length=100)] = None,
) -> StreamingResponse:
    token = credentials.credentials if credentials is not None else access_token
    if not token:
        raise Unauthenticated("Authentication credentials were not provided.")
    runtime = runtime_of(request)
    security = security_of(request)
    reader: GatewayUnitOfWork = runtime.uow(read_only=True)
    user, _account = await auth.authenticate(reader, security, token)
    actor = Actor.from_user(user)
    async with reader:
        sites = await site_scope(reader, actor)
    expires_at = security.tokens.decode_access(token).expires_at
    events = _events(runtime.get(EventHub), actor, sites, expires_at, last_event_id)
    return StreamingResponse(events, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
