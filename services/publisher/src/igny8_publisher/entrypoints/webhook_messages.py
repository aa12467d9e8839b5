"""Request handlers of the webhook ingress (``on_query(`` below): the gateway's unverified
WordPress deliveries, and connection keys for the bridge plugin."""

from __future__ import annotations

from datetime import UTC, datetime

from igny8_contracts import Envelope, QueryResult
from igny8_contracts.publisher_sync import (
    GetConnectionKeyStatus,
    IssueConnectionKey,
    ReceiveWordPressStatusWebhook,
    RevokeConnectionKey,
)
from igny8_publisher.adapters.integration_directory import integration_site
from igny8_publisher.app import service
from igny8_publisher.entrypoints.integration_messages import secret_box
from igny8_publisher.service_layer import webhooks
from igny8_runtime.service import ServiceRuntime


@service.on_query_legacy(ReceiveWordPressStatusWebhook)
async def on_wordpress_status_webhook(request: ReceiveWordPressStatusWebhook, envelope: Envelope,
                                      runtime: ServiceRuntime) -> QueryResult:
    """Verifies a bridge plugin delivery (signature, age, replay) and emits
    ExternalPostStatusChanged."""
    async with runtime.uow() as uow:
        return await webhooks.receive_status_webhook(request, uow, secret_box(runtime),
                                                     datetime.now(UTC))


@service.on_query_legacy(IssueConnectionKey)
async def on_issue_connection_key(request: IssueConnectionKey, envelope: Envelope,
                                  runtime: ServiceRuntime) -> QueryResult:
    """Makes a new webhook secret for an integration and answers the connection key once."""
    async with runtime.uow() as uow:
        return await webhooks.issue_connection_key(request, uow, secret_box(runtime),
                                                   integration_site, datetime.now(UTC))


@service.on_query_legacy(GetConnectionKeyStatus)
async def on_connection_key_status(query: GetConnectionKeyStatus, envelope: Envelope,
                                   runtime: ServiceRuntime) -> QueryResult:
    """Answers whether the integration has a connection key and what its webhooks delivered."""
    async with runtime.uow(read_only=True) as uow:
        return await webhooks.connection_key_status(query, uow, integration_site)


@service.on_query_legacy(RevokeConnectionKey)
async def on_revoke_connection_key(request: RevokeConnectionKey, envelope: Envelope,
                                   runtime: ServiceRuntime) -> QueryResult:
    """Forgets the integration's webhook secret (its key stops working at once)."""
    async with runtime.uow() as uow:
        return await webhooks.connection_key_status(request, uow, integration_site, revoke=True)
