"""Starting a paid AI operation, the one way every route does it: hold the credits the
operation may cost with billing, queue its command, record the operation, answer 202.

The holds are made here, in the gateway, rather than by the planner or writer that do the
work, for two reasons: the client must get billing's 402 (with ``available`` and ``cost``)
synchronously, before any 202 and with nothing queued, which a queued command could only report
later as a failed operation; and the gateway already owns the operation read model the 202
points to. How much each hold is (the estimate) comes from ``igny8_contracts.pricing``, which
billing's price table and the services that report usage read too. The command carries the
holds' keys, so the owner's usage event settles them.

Before starting, a client may ask what the same holds would cost (``quote_holds``: billing
prices them without holding anything), and a refusal of an operation of several holds reports
the whole operation's cost and the credits available before it, not one hold's.

A hold not released here (the gateway stopped between reserving and answering) expires on its
own (billing's expiry job).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from typing import NamedTuple

from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_contracts import Command
from igny8_contracts.billing import (
    CreditQuote,
    QuoteCredits,
    QuoteItem,
    ReleaseReservation,
    Reservation,
    ReserveCredits,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.entrypoints.accepting import accept_operation
from igny8_gateway.entrypoints.deps import Bus
from igny8_runtime.operations import CommandNotAccepted
from igny8_runtime.rpc import Refused

# Reservations in flight at once for one request: billing answers a bounded number of
# requests at a time (IGNY8_RPC_MAX_WORKERS) and each has the RPC timeout to be answered.
RESERVE_CONCURRENCY = 8


class Hold(NamedTuple):
    """Credits held under ``key`` for at most ``quantity`` units of ``operation_type`` (one of
    ``igny8_contracts.pricing``'s names)."""

    key: str
    operation_type: str
    quantity: int


def common_site(site_ids: Iterable[uuid.UUID]) -> uuid.UUID | None:
    """The operation's site: the one site all its items belong to, or None when several."""
    sites = set(site_ids)
    return sites.pop() if len(sites) == 1 else None


async def quote_holds(bus: Bus, account_id: uuid.UUID, holds: list[Hold]) -> CreditQuote:
    """What ``holds`` would hold in total and what the account may hold now (nothing held)."""
    items = [QuoteItem(operation_type=h.operation_type, quantity=h.quantity) for h in holds]
    return await bus.ask(QuoteCredits(account_id=account_id, items=items))


async def start_paid_operation(
    request: Request, actor: Actor, bus: Bus, command: Command, holds: list[Hold], *,
    operation_id: uuid.UUID, kind: str, site_id: uuid.UUID | None, message: str,
) -> JSONResponse:
    """Reserve every hold (billing's refusal, e.g. its 402, passes through and nothing is
    queued), then queue ``command`` and answer 202 with the operation; when the command is
    not accepted, the holds are released. No holds: a free operation, only queued."""
    await _reserve_all(bus, actor.account_id, holds)
    try:
        return await accept_operation(request, actor, command, operation_id=operation_id,
                                      kind=kind, site_id=site_id, message=message)
    except CommandNotAccepted:
        await _release_all(bus, actor.account_id, [hold.key for hold in holds])
        raise


async def _reserve_all(bus: Bus, account_id: uuid.UUID, holds: list[Hold]) -> None:
    """Every hold, or none: the first refusal passes through after the others are released."""
    gate = asyncio.Semaphore(RESERVE_CONCURRENCY)

    async def reserve(hold: Hold) -> Reservation:
        async with gate:
            return await bus.ask(ReserveCredits(
                account_id=account_id, reservation_key=hold.key,
                operation_type=hold.operation_type, max_quantity=hold.quantity))

    outcomes = await asyncio.gather(*(reserve(hold) for hold in holds), return_exceptions=True)
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    if failures:
        held = [hold.key for hold, o in zip(holds, outcomes, strict=True)
                if not isinstance(o, BaseException)]
        await _release_all(bus, account_id, held)
        first = failures[0]
        if isinstance(first, Refused) and first.status == 402 and len(holds) > 1:
            raise await _whole_operation_refused(bus, account_id, holds, first) from first
        raise first


async def _whole_operation_refused(bus: Bus, account_id: uuid.UUID, holds: list[Hold],
                                   refused: Refused) -> Refused:
    """Billing refused one hold, with that hold's cost and what the others left: the client
    is told what the whole operation needs and what was available before it (its holds are
    released by now)."""
    quote = await quote_holds(bus, account_id, holds)
    errors = {**(refused.errors or {}), "available": [str(quote.available_credits)],
              "cost": [str(quote.credits)]}
    message = (f"This operation needs {quote.credits} credits; {quote.available_credits} are "
               "available.")
    return Refused(refused.subject, 402, message, errors)


async def _release_all(bus: Bus, account_id: uuid.UUID, keys: list[str]) -> None:
    """Best effort (see the module's docstring)."""
    gate = asyncio.Semaphore(RESERVE_CONCURRENCY)

    async def release(key: str) -> Reservation:
        async with gate:
            return await bus.ask(ReleaseReservation(account_id=account_id, reservation_key=key))

    await asyncio.gather(*(release(key) for key in keys), return_exceptions=True)
