"""``/api/v1/integration/webhooks/``: the WordPress bridge plugin's door in (its connection key is
issued by ``integration_routes``).

* ``POST /api/v1/integration/webhooks/wordpress/status/`` (no JWT: the signature is the
  credential): the exact body bytes and the ``X-Igny8-*`` headers go to the publisher, which
  verifies them (see ``igny8_publisher.domain.webhooks``). Answers 200 with the receipt, or
  400 (headers or body malformed), 401 (bad signature, or timestamp over five minutes off),
  404 (unknown integration), 409 (delivery id already received), 413 (body over 64 KiB).
  Before anything is asked of the publisher, the gateway limits the rate per client address
  (an IPv6 client's /64) and per ``X-Igny8-Integration`` header (token buckets,
  ``IGNY8_WEBHOOK_*`` settings): over it, 429 with Retry-After (the plugin keeps the delivery
  and retries it later). The buckets live in each gateway process, so N replicas let through
  up to N times the configured rate (see ``igny8_gateway.domain.rate_limits``).
  A received delivery that changes nothing (``data.ignored``: a status without an IGNY8
  counterpart, an older change, a post the integration did not publish) is still 200, so the
  plugin stops retrying it.
"""

from __future__ import annotations

import base64
import time
import uuid

from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_contracts.publisher_sync import (
    MAX_WEBHOOK_BODY_BYTES,
    ReceiveWordPressStatusWebhook,
    WebhookReceipt,
)
from igny8_gateway.domain.rate_limits import RateRule, TokenBuckets, client_key
from igny8_gateway.entrypoints.deps import AnonymousBus
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.webhook_settings import BridgeSettings
from igny8_runtime.responses import ApiError, Ok, ok

router = api_router("/api/v1/integration/webhooks", "integration")
routers = (router,)

SIGNATURE_HEADERS = {
    "integration_id": "X-Igny8-Integration",
    "delivery_id": "X-Igny8-Delivery",
    "timestamp": "X-Igny8-Timestamp",
    "signature": "X-Igny8-Signature",
}


class WebhookLimits:
    """The webhook's rate limits in this gateway process (per client address, per integration
    id header)."""

    def __init__(self, settings: BridgeSettings) -> None:
        self.per_address = TokenBuckets(RateRule(settings.webhook_burst_per_address,
                                                 settings.webhook_rate_per_address))
        self.per_integration = TokenBuckets(RateRule(settings.webhook_burst_per_integration,
                                                     settings.webhook_rate_per_integration))

    @staticmethod
    def of(request: Request) -> WebhookLimits:
        limits: WebhookLimits | None = getattr(request.app.state, "webhook_limits", None)
        if limits is None:
            limits = request.app.state.webhook_limits = WebhookLimits(BridgeSettings())
        return limits


def throttle(buckets: TokenBuckets, key: str) -> None:
    """429 with Retry-After when ``key``'s bucket is empty."""
    wait = buckets.take(key, time.monotonic())
    if wait is not None:
        raise ApiError(429, "Too many webhook requests; retry later.",
                       headers={"Retry-After": str(wait)})


def integration_key(header: str) -> str:
    """The integration id header as a bucket key (one bucket per id however it is spelled)."""
    try:
        return str(uuid.UUID(header.strip()))
    except ValueError:
        return header.strip()


@router.post(
    "/wordpress/status/", response_model=Ok[WebhookReceipt],
    summary="Signed status webhook from the bridge plugin (no JWT; HMAC-SHA256 signature over "
            "delivery id, timestamp and body; see the module documentation)",
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"type": "object"}}}}})
async def receive_wordpress_status_webhook(request: Request, bus: AnonymousBus) -> JSONResponse:
    limits = WebhookLimits.of(request)
    throttle(limits.per_address, client_key(request.client.host if request.client else "unknown"))
    body = await request.body()
    if len(body) > MAX_WEBHOOK_BODY_BYTES:
        raise ApiError(413, f"A webhook body is at most {MAX_WEBHOOK_BODY_BYTES} bytes.")
    given = {field: request.headers.get(header, "") for field, header in
             SIGNATURE_HEADERS.items()}
    missing = {SIGNATURE_HEADERS[f]: ["This header is required."] for f, v in given.items()
               if not v.strip()}
    if missing:
        raise ApiError(400, "The webhook is missing signature headers.", missing)
    too_long = {SIGNATURE_HEADERS[f]: ["Too long."] for f, v in given.items() if len(v) > 100}
    if too_long:
        raise ApiError(400, "A signature header is too long.", too_long)
    throttle(limits.per_integration, integration_key(given["integration_id"]))
    receipt = await bus.ask(ReceiveWordPressStatusWebhook(
        **given, body_base64=base64.b64encode(body).decode()))
    return ok(receipt, "Received; it changes nothing in IGNY8." if receipt.ignored
              else "Received.")
