"""Credits held before an AI operation is accepted, and given back when it is not.

Every AI route holds its credits with billing first (billing's 402, with ``available`` and
``cost``, passes through and nothing is sent), then sends its command; when the command is not
accepted the holds are released. A hold not released here expires on its own (billing's
expiry job)."""

from __future__ import annotations

import asyncio
from typing import Any, NamedTuple

from fastapi import Request

from igny8_contracts.billing import ReleaseReservation, ReserveCredits
from igny8_gateway.domain.model import Actor
from igny8_gateway.entrypoints.deps import Bus
from igny8_runtime.http import runtime_of

# Reservations in flight at once for one request: billing answers a bounded number of
# requests at a time (IGNY8_RPC_MAX_WORKERS) and each has the RPC timeout to be answered.
RESERVE_CONCURRENCY = 8


class Hold(NamedTuple):
    key: str
    operation_type: str
    quantity: int


async def reserve_all(request: Request, actor: Actor, holds: list[Hold]) -> None:
    """Every hold, or none: the first refusal passes through after the others are released."""
    gate = asyncio.Semaphore(RESERVE_CONCURRENCY)

    async def reserve(hold: Hold) -> Any:
        async with gate:
            return await Bus(runtime_of(request), actor.account_id).ask(ReserveCredits(
                account_id=actor.account_id, reservation_key=hold.key,
                operation_type=hold.operation_type, max_quantity=hold.quantity))

    outcomes = await asyncio.gather(*(reserve(hold) for hold in holds), return_exceptions=True)
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    if failures:
        held = [hold.key for hold, o in zip(holds, outcomes, strict=True)
                if not isinstance(o, BaseException)]
        await release_all(request, actor, held)
        raise failures[0]


async def release_all(request: Request, actor: Actor, keys: list[str]) -> None:
    """Best effort (see the module's docstring)."""
    gate = asyncio.Semaphore(RESERVE_CONCURRENCY)

    async def release(key: str) -> Any:
        async with gate:
            return await Bus(runtime_of(request), actor.account_id).ask(ReleaseReservation(
                account_id=actor.account_id, reservation_key=key))

    await asyncio.gather(*(release(key) for key in keys), return_exceptions=True)
