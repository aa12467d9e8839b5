"""``/api/v1/billing/``: answered by billing over NATS request/reply.

Every role reads its own account's billing; only owners (and developers) change the plan;
only developers grant or take back credits, always with a reason (billing records who did it).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Header, Query
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.requests import Request

from igny8_contracts import Query as BusQuery
from igny8_contracts import QueryResult
from igny8_contracts.billing import (
    AdjustCredits,
    ChangePlan,
    GetBalanceDetails,
    GetUsage,
    ListPlans,
    ListTransactions,
)
from igny8_gateway.domain.errors import Forbidden
from igny8_gateway.domain.model import Actor, Role
from igny8_gateway.domain.policies import ensure_can_manage_billing
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_runtime import rpc
from igny8_runtime.http import runtime_of
from igny8_runtime.responses import ApiError, ok, paginated

router = api_router("/api/v1/billing", "billing")


async def ask_billing(request: Request, query: BusQuery, account_id: uuid.UUID) -> Any:
    """Billing's ``data``, or its error as the same HTTP status (e.g. 402 with ``available``
    and ``cost`` when credits do not cover an operation). No answer in time (billing down)
    raises OwnerUnavailable: the runtime answers 503 + Retry-After."""
    runtime = runtime_of(request)
    result = await rpc.ask(runtime.broker, query, account_id=account_id, source="gateway",
                           timeout=runtime.settings.rpc_timeout_seconds)
    return data_or_raise(result)


def data_or_raise(result: QueryResult) -> Any:
    if not result.ok:
        if result.error is None:
            raise ApiError(502, "Billing gave an answer the gateway does not understand.")
        raise ApiError(result.error.status, result.error.message, result.error.errors)
    return result.data


@router.get("/balance/", summary="Both credit pools, the credits held by running operations, "
                                 "and the current period")
async def balance(request: Request, actor: CurrentActor) -> JSONResponse:
    query = GetBalanceDetails(account_id=actor.account_id)
    return ok(await ask_billing(request, query, actor.account_id))


@router.get("/transactions/", summary="The account's credit ledger, newest first")
async def transactions(
    request: Request, actor: CurrentActor, page: Paging,
    kind: Annotated[str | None, Query(max_length=50, description="e.g. usage, renewal")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> JSONResponse:
    query = ListTransactions(account_id=actor.account_id, page=page.number,
                             page_size=page.size, transaction_kind=kind, since=since,
                             until=until)
    data = await ask_billing(request, query, actor.account_id)
    return paginated(request, data["results"], data["count"], page.number, page.size)


@router.get("/usage/", summary="Credits used per operation type and per day")
async def usage(request: Request, actor: CurrentActor, since: date | None = None,
                until: date | None = None) -> JSONResponse:
    query = GetUsage(account_id=actor.account_id, since=since, until=until)
    return ok(await ask_billing(request, query, actor.account_id))


@router.get("/plans/", summary="The plans on offer")
async def plans(request: Request, actor: CurrentActor) -> JSONResponse:
    data = await ask_billing(request, ListPlans(), actor.account_id)
    catalogue = data["plans"]
    return paginated(request, catalogue, len(catalogue), 1, max(1, len(catalogue)))


class PlanChange(Body):
    plan_slug: str = Field(min_length=1, max_length=50)


@router.post("/plan/", summary="Switch plan (owners): a new period starts with its credits")
async def change_plan(request: Request, actor: CurrentActor, body: PlanChange) -> JSONResponse:
    ensure_can_manage_billing(actor)
    query = ChangePlan(account_id=actor.account_id, plan_slug=body.plan_slug,
                       requested_by=actor.user_id)
    return ok(await ask_billing(request, query, actor.account_id), "Plan changed.")


class CreditAdjustment(Body):
    amount: int = Field(description="credits to add (positive) or take back (negative)")
    reason: str = Field(min_length=3, max_length=400)
    pool: Literal["plan", "bonus"] = "bonus"
    account_id: uuid.UUID | None = Field(default=None,
                                         description="defaults to the developer's own account")


def ensure_developer(actor: Actor) -> None:
    if actor.role != Role.DEVELOPER:
        raise Forbidden("Only developers can grant or adjust credits")


@router.post("/credits/adjust/", status_code=201,
             summary="Grant or take back credits (developers), with a reason")
async def adjust_credits(
    request: Request, actor: CurrentActor, body: CreditAdjustment,
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> JSONResponse:
    ensure_developer(actor)
    if body.amount == 0:
        raise ApiError(400, "Invalid input.", {"amount": ["must not be zero"]})
    account_id = body.account_id or actor.account_id
    query = AdjustCredits(account_id=account_id, pool=body.pool, amount=body.amount,
                          reason=body.reason, requested_by=actor.user_id,
                          idempotency_key=idempotency_key or str(uuid.uuid4()))
    data = await ask_billing(request, query, account_id)
    return ok(data, "Credits adjusted.", status_code=201)
