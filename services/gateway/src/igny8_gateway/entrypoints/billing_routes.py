"""``/api/v1/billing/``: answered by billing over NATS request/reply."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_contracts.billing import GetBalance
from igny8_gateway.entrypoints.deps import CurrentActor
from igny8_gateway.entrypoints.errors import api_router
from igny8_runtime import rpc
from igny8_runtime.http import runtime_of
from igny8_runtime.responses import ApiError, ok

router = api_router("/api/v1/billing", "billing")


@router.get("/balance/", summary="The account's credit balance")
async def balance(request: Request, actor: CurrentActor) -> JSONResponse:
    # No answer in time (billing down) raises OwnerUnavailable: the runtime answers 503.
    runtime = runtime_of(request)
    result = await rpc.ask(runtime.broker, GetBalance(account_id=actor.account_id),
                           account_id=actor.account_id, source="gateway",
                           timeout=runtime.settings.rpc_timeout_seconds)
    if not result.ok:
        if result.error is None:
            raise ApiError(502, "Billing gave an answer the gateway does not understand.")
        raise ApiError(result.error.status, result.error.message, result.error.errors)
    return ok(result.data)
