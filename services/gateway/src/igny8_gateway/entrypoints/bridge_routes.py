"""The WordPress bridge plugin's two doors:

* ``POST /api/v1/integration/integrations/{id}/connection-key/`` (owners and admins): a new
  webhook secret for the integration, answered once inside the connection key the plugin's
  settings page takes (issuing again replaces the secret). The key carries the webhook URL:
  ``IGNY8_PUBLIC_URL`` (the address WordPress reaches the gateway at) or else this request's.
  ``GET`` the same path tells whether a key is issued and what its webhooks delivered (anyone
  who sees the site); ``DELETE`` revokes it (owners and admins).
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
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import Request

from igny8_contracts.publisher_sync import (
    MAX_WEBHOOK_BODY_BYTES,
    ConnectionKey,
    ConnectionKeyStatus,
    GetConnectionKeyStatus,
    IssueConnectionKey,
    ReceiveWordPressStatusWebhook,
    RevokeConnectionKey,
    WebhookReceipt,
)
from igny8_gateway.domain.policies import ensure_can_manage_sites
from igny8_gateway.domain.rate_limits import RateRule, TokenBuckets, client_key
from igny8_gateway.entrypoints.deps import ActorBus, AnonymousBus, CurrentActor
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime.responses import ApiError, Ok, ok

key_router = api_router("/api/v1/integration/integrations", "integration")
webhook_router = api_router("/api/v1/integration/webhooks", "integration")
routers = (key_router, webhook_router)

WEBHOOK_PATH = "/api/v1/integration/webhooks/wordpress/status/"
SIGNATURE_HEADERS = {
    "integration_id": "X-Igny8-Integration",
    "delivery_id": "X-Igny8-Delivery",
    "timestamp": "X-Igny8-Timestamp",
    "signature": "X-Igny8-Signature",
}


class BridgeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_", extra="ignore")

    public_url: str = ""
    # Webhook rate limits: a burst, then a sustained rate per second. Per client address is
    # the looser one: many WordPress sites of a shared host send from one address.
    webhook_burst_per_address: int = 300
    webhook_rate_per_address: float = 5.0
    webhook_burst_per_integration: int = 60
    webhook_rate_per_integration: float = 1.0


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


def webhook_url(request: Request) -> str:
    base = BridgeSettings().public_url.strip() or str(request.base_url)
    return base.rstrip("/") + WEBHOOK_PATH


@key_router.post(
    "/{integration_id}/connection-key/", status_code=201, response_model=Ok[ConnectionKey],
    summary="A new connection key for the WordPress bridge plugin (shown once; replaces the "
            "integration's previous webhook secret). Owners and admins")
async def issue_connection_key(request: Request, actor: CurrentActor, bus: ActorBus,
                               integration_id: uuid.UUID) -> JSONResponse:
    ensure_can_manage_sites(actor)
    key = await bus.ask(IssueConnectionKey(
        account_id=actor.account_id, integration_id=integration_id,
        visible_site_ids=await scope_of(request, actor), webhook_url=webhook_url(request)))
    return ok(key, "Paste this key into WordPress: Settings → IGNY8. It is shown only once.",
              status_code=201)


@key_router.get(
    "/{integration_id}/connection-key/", response_model=Ok[ConnectionKeyStatus],
    summary="Whether the integration has a connection key (never the key) and what its "
            "webhooks delivered")
async def get_connection_key_status(request: Request, actor: CurrentActor, bus: ActorBus,
                                    integration_id: uuid.UUID) -> JSONResponse:
    return ok(await bus.ask(GetConnectionKeyStatus(
        account_id=actor.account_id, integration_id=integration_id,
        visible_site_ids=await scope_of(request, actor))))


@key_router.delete(
    "/{integration_id}/connection-key/", response_model=Ok[ConnectionKeyStatus],
    summary="Revoke the connection key: the plugin's webhooks are refused until a new key is "
            "issued. Owners and admins")
async def revoke_connection_key(request: Request, actor: CurrentActor, bus: ActorBus,
                                integration_id: uuid.UUID) -> JSONResponse:
    ensure_can_manage_sites(actor)
    status = await bus.ask(RevokeConnectionKey(
        account_id=actor.account_id, integration_id=integration_id,
        visible_site_ids=await scope_of(request, actor)))
    return ok(status, "Connection key revoked.")


@webhook_router.post(
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
