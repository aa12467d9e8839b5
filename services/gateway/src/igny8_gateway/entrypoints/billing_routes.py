"""``/api/v1/billing/``: answered by billing over NATS request/reply.

Every role reads its own account's billing; only owners (and developers) change the plan;
only developers grant or take back credits, always with a reason (billing records who did it).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import Header, Query
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.requests import Request

from igny8_contracts.billing import (
    AdjustCredits,
    BalanceDetails,
    ChangePlan,
    GetBalanceDetails,
    GetUsage,
    LedgerTransactionView,
    ListPlans,
    ListTransactions,
    PlanLimits,
    UsageReport,
)
from igny8_gateway.domain.errors import Forbidden
from igny8_gateway.domain.model import Actor, Role
from igny8_gateway.domain.policies import ensure_can_manage_billing
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import ActorBus, CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_runtime.responses import ApiError, Listing, Ok, ok, paginated

router = api_router("/api/v1/billing", "billing")
routers = (router,)


@router.get("/balance/", response_model=Ok[BalanceDetails],
            summary="Both credit pools, the credits held by running operations, and the current "
                    "period")
async def get_balance(actor: CurrentActor, bus: ActorBus) -> JSONResponse:
    return ok(await bus.ask(GetBalanceDetails(account_id=actor.account_id)))


@router.get("/transactions/", response_model=Listing[LedgerTransactionView],
            summary="The account's credit ledger, newest first")
async def list_transactions(
    request: Request, actor: CurrentActor, bus: ActorBus, page: Paging,
    kind: Annotated[str | None, Query(max_length=50, description="e.g. usage, renewal")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> JSONResponse:
    query = ListTransactions(account_id=actor.account_id, page=page.number,
                             page_size=page.size, transaction_kind=kind, since=since,
                             until=until)
    found = await bus.ask(query)
    return paginated(request, found.results, found.count, page.number, page.size)


@router.get("/usage/", response_model=Ok[UsageReport],
            summary="Credits used per operation type and per day")
async def get_usage(actor: CurrentActor, bus: ActorBus, since: date | None = None,
                until: date | None = None) -> JSONResponse:
    return ok(await bus.ask(GetUsage(account_id=actor.account_id, since=since, until=until)))


@router.get("/plans/", response_model=Listing[PlanLimits], summary="The plans on offer")
async def list_plans(request: Request, bus: ActorBus) -> JSONResponse:
    catalogue = (await bus.ask(ListPlans())).plans
    return paginated(request, catalogue, len(catalogue), 1, max(1, len(catalogue)))


class PlanChange(Body):
    plan_slug: str = Field(min_length=1, max_length=50)


@router.post("/plan/", response_model=Ok[BalanceDetails],
             summary="Switch plan (owners): a new period starts with its credits")
async def change_plan(actor: CurrentActor, bus: ActorBus, body: PlanChange) -> JSONResponse:
    ensure_can_manage_billing(actor)
    query = ChangePlan(account_id=actor.account_id, plan_slug=body.plan_slug,
                       requested_by=actor.user_id)
    return ok(await bus.ask(query), "Plan changed.")


class CreditAdjustment(Body):
    amount: int = Field(description="credits to add (positive) or take back (negative)")
    reason: str = Field(min_length=3, max_length=400)
    pool: Literal["plan", "bonus"] = "bonus"
    account_id: uuid.UUID | None = Field(default=None,
                                         description="defaults to the developer's own account")


def ensure_developer(actor: Actor) -> None:
    if actor.role != Role.DEVELOPER:
        raise Forbidden("Only developers can grant or adjust credits")


@router.post("/credits/adjust/", status_code=201, response_model=Ok[LedgerTransactionView],
             summary="Grant or take back credits (developers), with a reason")
async def adjust_credits(
    actor: CurrentActor, bus: ActorBus, body: CreditAdjustment,
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> JSONResponse:
    ensure_developer(actor)
    if body.amount == 0:
        raise ApiError(400, "Invalid input.", {"amount": ["must not be zero"]})
    account_id = body.account_id or actor.account_id
    query = AdjustCredits(account_id=account_id, pool=body.pool, amount=body.amount,
                          reason=body.reason, requested_by=actor.user_id,
                          idempotency_key=idempotency_key or str(uuid.uuid4()))
    adjusted = await bus.for_account(account_id).ask(query)
    return ok(adjusted, "Credits adjusted.", status_code=201)
