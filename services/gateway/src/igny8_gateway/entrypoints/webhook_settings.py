"""The bridge plugin's webhook: where WordPress reaches it, and its rate limits (settings read by
``integration_routes``, which issues connection keys carrying the URL, and ``webhooks_routes``,
which receives the deliveries)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import Request

WEBHOOK_PATH = "/api/v1/integration/webhooks/wordpress/status/"


class BridgeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_", extra="ignore")

    public_url: str = ""
    # Webhook rate limits: a burst, then a sustained rate per second. Per client address is
    # the looser one: many WordPress sites of a shared host send from one address.
    webhook_burst_per_address: int = 300
    webhook_rate_per_address: float = 5.0
    webhook_burst_per_integration: int = 60
    webhook_rate_per_integration: float = 1.0


def webhook_url(request: Request) -> str:
    base = BridgeSettings().public_url.strip() or str(request.base_url)
    return base.rstrip("/") + WEBHOOK_PATH
