"""Request handlers of the webhook ingress (``on_query(`` below): the gateway's unverified
WordPress deliveries, and connection keys for the bridge plugin."""

from __future__ import annotations

from datetime import UTC, datetime

from igny8_contracts import QueryResult
from igny8_contracts.publisher_sync import (
    ConnectionKey,
    ConnectionKeyStatus,
    GetConnectionKeyStatus,
    GetPluginPackage,
    IssueConnectionKey,
    PluginPackage,
    ReceiveWordPressStatusWebhook,
    RevokeConnectionKey,
    WebhookReceipt,
)
from igny8_publisher.adapters.plugin_store import stored_plugin_package
from igny8_publisher.app import service
from igny8_publisher.service_layer import webhooks
from igny8_publisher.service_layer.uow import PublisherUnitOfWork
from igny8_runtime.handling import HandlerContext
from igny8_runtime.secrets import SecretBox


@service.on_query(ReceiveWordPressStatusWebhook, read_only=False)
async def on_wordpress_status_webhook(request: ReceiveWordPressStatusWebhook,
                                      uow: PublisherUnitOfWork,
                                      ctx: HandlerContext) -> WebhookReceipt | QueryResult:
    """Verifies a bridge plugin delivery (signature, age, replay) and emits
    ExternalPostStatusChanged."""
    return await webhooks.receive_status_webhook(request, uow, ctx.get(SecretBox),
                                                 datetime.now(UTC))


@service.on_query(IssueConnectionKey, read_only=False)
async def on_issue_connection_key(request: IssueConnectionKey, uow: PublisherUnitOfWork,
                                  ctx: HandlerContext) -> ConnectionKey | QueryResult:
    """Makes a new webhook secret for an integration and answers the connection key once."""
    return await webhooks.issue_connection_key(request, uow, ctx.get(SecretBox),
                                               datetime.now(UTC))


@service.on_query(GetConnectionKeyStatus, read_only=True)
async def on_connection_key_status(query: GetConnectionKeyStatus, uow: PublisherUnitOfWork,
                                   ctx: HandlerContext) -> ConnectionKeyStatus | QueryResult:
    """Answers whether the integration has a connection key and what its webhooks delivered."""
    return await webhooks.connection_key_status(query, uow)


@service.on_query(RevokeConnectionKey, read_only=False)
async def on_revoke_connection_key(request: RevokeConnectionKey, uow: PublisherUnitOfWork,
                                   ctx: HandlerContext) -> ConnectionKeyStatus | QueryResult:
    """Forgets the integration's webhook secret (its key stops working at once)."""
    return await webhooks.connection_key_status(request, uow, revoke=True)


@service.on_query(GetPluginPackage, read_only=True)
async def on_get_plugin_package(query: GetPluginPackage, uow: PublisherUnitOfWork,
                                ctx: HandlerContext) -> PluginPackage:
    """Puts the bridge plugin's zip in the object store (once per version) and answers where."""
    return await stored_plugin_package(ctx.runtime.js)
