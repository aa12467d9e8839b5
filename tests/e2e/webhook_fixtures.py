"""Helpers for the bridge plugin's webhook tests: an integration with a connection key, signed
deliveries to the gateway, and the events the publisher emitted."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
from sqlalchemy import text

from igny8_publisher.domain.webhooks import ConnectionKeyParts, decode_connection_key, sign
from tests.e2e.conftest import Database
from tests.e2e.stream_events import account_events

INTEGRATIONS = "/api/v1/integration/integrations/"
WEBHOOK = "/api/v1/integration/webhooks/wordpress/status/"
STATUS_SUBJECT = "evt.publisher.post.status_changed.v1"


def create_integration(gw: Any, member: Any, site_id: str, url: str = "https://wp.example.com",
                       username: str = "admin", app_password: str = "abcd efgh ijkl mnop") -> Any:
    return gw.ok(gw.call("POST", INTEGRATIONS, member, json={
        "site_id": site_id, "url": url, "username": username, "app_password": app_password}),
        201)


def issue_key(gw: Any, member: Any, integration_id: str) -> Any:
    return gw.ok(gw.call("POST", f"{INTEGRATIONS}{integration_id}/connection-key/", member), 201)


def connected(gw: Any, member: Any, site_id: str, **integration: Any) -> ConnectionKeyParts:
    """A new integration on the site and the parts of its connection key."""
    created = create_integration(gw, member, site_id, **integration)
    return decode_connection_key(issue_key(gw, member, created["id"])["connection_key"])


def status_body(content_id: str, status: str = "publish", post_id: int = 41,
                event: str = "post.status_changed", occurred_at_us: int | None = None) -> bytes:
    body: dict[str, Any] = {
        "event": event, "post_id": post_id, "content_id": content_id, "status": status,
        "previous_status": "draft", "post_type": "post",
        "url": f"https://wp.example.com/?p={post_id}"}
    if occurred_at_us is not None:
        body["occurred_at_us"] = occurred_at_us
    return json.dumps(body).encode()


def deliver(client: httpx.Client, parts: ConnectionKeyParts, body: bytes, *,
            delivery_id: str | None = None, timestamp: int | None = None,
            secret: str | None = None, integration_id: str | None = None,
            signature: str | None = None, client_address: str | None = None) -> httpx.Response:
    """POST a delivery to the gateway, signed with the key's secret unless told otherwise
    (from ``client_address``: the gateway trusts X-Forwarded-For from 127.0.0.1)."""
    delivery = delivery_id or str(uuid.uuid4())
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Igny8-Integration": integration_id or str(parts.integration_id),
        "X-Igny8-Delivery": delivery,
        "X-Igny8-Timestamp": stamp,
        "X-Igny8-Signature": signature or sign(secret or parts.secret, delivery, stamp, body),
    }
    if client_address is not None:
        headers["X-Forwarded-For"] = client_address
    return client.post(WEBHOOK, content=body, headers=headers)


def status_events(nats_url: str, account_id: str, wanted: int,
                  attempts: int = 40) -> list[dict[str, Any]]:
    """The account's ExternalPostStatusChanged envelopes, oldest first."""
    return asyncio.run(account_events(nats_url, stream="PUBLISHER_EVENTS",
                                      subject=STATUS_SUBJECT, account_id=account_id,
                                      wanted=wanted, attempts=attempts))


def published_here(db: Database, parts: ConnectionKeyParts, content_id: str,
                   post_id: int) -> None:
    """Record, as the publisher does when it publishes, that the integration published the
    content as WordPress post ``post_id`` (status changes count only for that post)."""
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO publisher.publishing_records (id, account_id, site_id, integration_id,"
            " content_id, external_id, status) SELECT :id, account_id, site_id, id, :c, :e,"
            " 'published' FROM publisher.integrations WHERE id = :i"),
            {"id": uuid.uuid4(), "c": uuid.UUID(content_id), "e": str(post_id),
             "i": parts.integration_id})


def written(db: Database, integration_id: uuid.UUID) -> tuple[int, int]:
    """(deliveries recorded, status events in the outbox) for an integration."""
    with db.engine.connect() as conn:
        deliveries = conn.execute(text(
            "SELECT count(*) FROM publisher.webhook_deliveries WHERE integration_id = :i"),
            {"i": integration_id}).scalar_one()
        events = conn.execute(text(
            "SELECT count(*) FROM publisher.outbox WHERE subject = :s "
            "AND payload->'data'->>'integration_id' = :i"),
            {"s": STATUS_SUBJECT, "i": str(integration_id)}).scalar_one()
    return int(deliveries), int(events)
