"""Transitional, no routes: ``ask_writer`` for ``author_profile_routes`` until it asks through
``Bus`` (``deps.ActorBus``) like every other route; then this module goes."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from igny8_contracts import Answered
from igny8_gateway.domain.model import Actor
from igny8_gateway.entrypoints.deps import Bus
from igny8_runtime.http import runtime_of


async def ask_writer(request: Request, query: Answered[Any], actor: Actor) -> Any:
    """The writer's reply as JSON-ready data (the owner's refusal passes through as the same
    HTTP status)."""
    reply = await Bus(runtime_of(request), actor.account_id).ask(query)
    return reply.model_dump(mode="json")
