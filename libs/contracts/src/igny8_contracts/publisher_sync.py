"""WordPress → IGNY8 sync: the bridge plugin's signed status webhooks and its connection key.

The plugin (``services/publisher/wordpress-plugin/igny8-bridge``) posts a signed webhook when an
IGNY8-managed post changes status, is trashed or deleted. The gateway passes the exact body
bytes and the signature headers to the publisher (``ReceiveWordPressStatusWebhook``); the
publisher verifies them with the integration's secret and emits ``ExternalPostStatusChanged``,
which the writer follows. The secret reaches the plugin inside a connection key that IGNY8
issues once (``IssueConnectionKey``); issuing again replaces the secret.

Signature (see ``igny8_publisher.domain.webhooks``): ``X-Igny8-Signature: sha256=<hex>`` where
``<hex>`` is HMAC-SHA256(secret, delivery_id + "." + timestamp + "." + body), lower-case hex.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from igny8_contracts.messages import Event, Query, Request

ExternalContentStatus = Literal["published", "draft", "review", "scheduled", "archived"]

MAX_WEBHOOK_BODY_BYTES = 64 * 1024
WEBHOOK_TOLERANCE_SECONDS = 300


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExternalPostStatusChanged(Event):
    """A post IGNY8 published changed status in WordPress (verified webhook). ``status`` is
    IGNY8's content status it maps to; ``wordpress_status`` what WordPress said (``deleted``
    for a post deleted for good)."""

    subject_base = "evt.publisher.post.status_changed"
    account_id: uuid.UUID
    site_id: uuid.UUID
    content_id: uuid.UUID
    integration_id: uuid.UUID
    external_id: str
    wordpress_status: str
    status: ExternalContentStatus


class WebhookReceipt(_Data):
    """What the publisher did with a verified delivery. ``status`` is None (and ``ignored``
    true) for a WordPress status IGNY8 has no counterpart for (e.g. ``private``)."""

    delivery_id: str
    integration_id: uuid.UUID
    content_id: uuid.UUID
    external_id: str
    wordpress_status: str
    status: ExternalContentStatus | None
    ignored: bool


class ReceiveWordPressStatusWebhook(Request[WebhookReceipt]):
    """A webhook as it arrived at the gateway, unverified: the signature headers as sent and
    the body's exact bytes (base64, so not a byte changes on the way). Refusals: 400 malformed
    headers or body, 401 bad signature or a timestamp more than five minutes off, 404 unknown
    integration (or no connection key issued), 409 a delivery id already received."""

    subject_base = "req.publisher.wordpress_webhook.receive"
    integration_id: str = Field(max_length=100)
    delivery_id: str = Field(max_length=200)
    timestamp: str = Field(max_length=40)
    signature: str = Field(max_length=200)
    body_base64: str = Field(max_length=MAX_WEBHOOK_BODY_BYTES * 2)


class ConnectionKey(_Data):
    """Shown once: the plugin's settings page takes ``connection_key``."""

    integration_id: uuid.UUID
    site_id: uuid.UUID
    webhook_url: str
    connection_key: str
    issued_at: datetime


class IssueConnectionKey(Request[ConnectionKey]):
    """Make (or replace) the integration's webhook secret and answer the connection key that
    carries it. 404 when the integration is not the account's."""

    subject_base = "req.publisher.connection_key.issue"
    account_id: uuid.UUID
    integration_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = Field(
        default=None, description="Sites the caller may see; None: every site of the account")
    webhook_url: str = Field(min_length=1, max_length=2000)


class ConnectionKeyStatus(_Data):
    """Whether the integration has a connection key (never the key itself) and what its
    webhooks delivered."""

    integration_id: uuid.UUID
    site_id: uuid.UUID
    issued: bool
    issued_at: datetime | None
    deliveries_received: int
    last_delivery_at: datetime | None


class GetConnectionKeyStatus(Query[ConnectionKeyStatus]):
    """404 when the integration is not the account's (or on a site the caller does not see)."""

    subject_base = "qry.publisher.connection_key.get"
    account_id: uuid.UUID
    integration_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class RevokeConnectionKey(Request[ConnectionKeyStatus]):
    """Forget the integration's webhook secret: its key stops working at once (deliveries
    answer 404) until a new one is issued."""

    subject_base = "req.publisher.connection_key.revoke"
    account_id: uuid.UUID
    integration_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class PluginPackage(_Data):
    """The bridge plugin's installable zip, put by the publisher in the object store
    (``bucket`` / ``object_name``) for the gateway to serve; the same for every account."""

    bucket: str
    object_name: str
    filename: str
    size: int
    sha256: str
    version: str


class GetPluginPackage(Query[PluginPackage]):
    """Where the bridge plugin's zip is (built and stored on first ask)."""

    subject_base = "qry.publisher.plugin_package.get"
    account_id: uuid.UUID
