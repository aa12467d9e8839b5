"""The webhook ingress: verify a WordPress delivery, record it once, emit the status change;
and issue the connection key that carries an integration's webhook secret."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from igny8_contracts import QueryResult
from igny8_contracts.publisher_sync import (
    ConnectionKey,
    ConnectionKeyStatus,
    ExternalPostStatusChanged,
    GetConnectionKeyStatus,
    IssueConnectionKey,
    ReceiveWordPressStatusWebhook,
    RevokeConnectionKey,
    WebhookReceipt,
)
from igny8_publisher.adapters.webhook_repository import Delivery, StoredSecret
from igny8_publisher.domain.webhooks import (
    ConnectionKeyParts,
    WebhookRefused,
    check_timestamp,
    decode_body,
    encode_connection_key,
    map_status,
    new_secret,
    parse_headers,
    parse_status_change,
    superseded,
    verify_signature,
)
from igny8_publisher.service_layer.uow import PublisherUnitOfWork
from igny8_runtime.secrets import SecretBox, SecretError


async def receive_status_webhook(request: ReceiveWordPressStatusWebhook,
                                 uow: PublisherUnitOfWork, box: SecretBox,
                                 now: datetime) -> WebhookReceipt | QueryResult:
    """Refusals answer their status with nothing written; an accepted delivery is recorded
    and its ``ExternalPostStatusChanged`` emitted in one transaction. Not emitted (the receipt
    says ``ignored``) for a status IGNY8 has no counterpart for, a change older than one
    already received for the post, or a post that is not the one this integration published
    the content as (a copy carrying the same ``_igny8_content_id``, or content of another
    site)."""
    try:
        receipt = await _accept(request, uow, box, now)
    except WebhookRefused as exc:
        await uow.rollback()
        return QueryResult.failure(exc.status, exc.message, exc.errors)
    return receipt


async def _accept(request: ReceiveWordPressStatusWebhook, uow: PublisherUnitOfWork,
                  box: SecretBox, now: datetime) -> WebhookReceipt:
    headers = parse_headers(request.integration_id, request.delivery_id, request.timestamp,
                            request.signature)
    check_timestamp(headers, now.timestamp())
    body = decode_body(request.body_base64)
    stored = await uow.webhooks.secret_of(headers.integration_id)
    if stored is None:
        raise WebhookRefused(404, "Unknown integration, or no connection key was issued for it.",
                             "X-Igny8-Integration")
    try:
        secret = box.decrypt(stored.secret_encrypted)
    except SecretError:
        raise WebhookRefused(401, "The integration's secret cannot be read; issue a new "
                                  "connection key.", "X-Igny8-Signature") from None
    verify_signature(secret, headers, body)
    change = parse_status_change(body)
    status = map_status(change.status)
    external_id = str(change.post_id)
    await uow.webhooks.lock_post(stored.integration_id, external_id)
    outdated = superseded(change.occurred_at_us,
                          await uow.webhooks.latest_change_of(stored.integration_id, external_id))
    recorded = await uow.webhooks.record_delivery(Delivery(
        integration_id=stored.integration_id, delivery_id=headers.delivery_id,
        account_id=stored.account_id, site_id=stored.site_id, content_id=change.content_id,
        external_id=external_id, wordpress_status=change.status, status=status,
        signed_at=datetime.fromtimestamp(headers.timestamp, UTC),
        occurred_at_us=change.occurred_at_us))
    if not recorded:
        raise WebhookRefused(409, "This delivery was received before.", "X-Igny8-Delivery")
    ours = await uow.records.published_post(stored.integration_id, change.content_id) == external_id
    emitted = status is not None and not outdated and ours
    if ours and not outdated:
        await uow.records.follow_wordpress_status(stored.integration_id, change.content_id,
                                                  change.status)
    if status is not None and emitted:
        uow.emit(ExternalPostStatusChanged(
            account_id=stored.account_id, site_id=stored.site_id, content_id=change.content_id,
            integration_id=stored.integration_id, external_id=external_id,
            wordpress_status=change.status, status=status), account_id=stored.account_id)
    await uow.commit()
    return WebhookReceipt(delivery_id=headers.delivery_id, integration_id=stored.integration_id,
                          content_id=change.content_id, external_id=external_id,
                          wordpress_status=change.status, status=status,
                          ignored=not emitted)


async def _integration_site(uow: PublisherUnitOfWork, account_id: uuid.UUID,
                            integration_id: uuid.UUID,
                            visible_site_ids: list[uuid.UUID] | None) -> uuid.UUID | None:
    """The integration's site, if it is the account's and on a site the caller sees."""
    row = await uow.integrations.get(account_id, integration_id, visible_site_ids)
    return None if row is None else row["site_id"]


async def issue_connection_key(request: IssueConnectionKey, uow: PublisherUnitOfWork,
                               box: SecretBox, now: datetime) -> ConnectionKey | QueryResult:
    """A new secret for the integration (replacing any earlier one: the old key stops
    working), answered once inside the connection key."""
    site_id = await _integration_site(uow, request.account_id, request.integration_id,
                                      request.visible_site_ids)
    if site_id is None:
        return QueryResult.failure(404, "Integration not found.")
    secret = new_secret()
    await uow.webhooks.save_secret(StoredSecret(
        integration_id=request.integration_id, account_id=request.account_id, site_id=site_id,
        secret_encrypted=box.encrypt(secret)), issued_at=now)
    await uow.commit()
    key = encode_connection_key(ConnectionKeyParts(request.webhook_url, request.integration_id,
                                                   secret))
    return ConnectionKey(integration_id=request.integration_id, site_id=site_id,
                         webhook_url=request.webhook_url, connection_key=key, issued_at=now)


async def connection_key_status(request: GetConnectionKeyStatus | RevokeConnectionKey,
                                uow: PublisherUnitOfWork, *,
                                revoke: bool = False) -> ConnectionKeyStatus | QueryResult:
    """Whether a key is issued and what its webhooks delivered; ``revoke`` forgets the secret
    first (the key stops working at once)."""
    site_id = await _integration_site(uow, request.account_id, request.integration_id,
                                      request.visible_site_ids)
    if site_id is None:
        return QueryResult.failure(404, "Integration not found.")
    if revoke:
        await uow.webhooks.forget_secret(request.integration_id)
        await uow.commit()
    issued_at, received, last = await uow.webhooks.key_status(request.integration_id)
    return ConnectionKeyStatus(
        integration_id=request.integration_id, site_id=site_id, issued=issued_at is not None,
        issued_at=issued_at, deliveries_received=received, last_delivery_at=last)
