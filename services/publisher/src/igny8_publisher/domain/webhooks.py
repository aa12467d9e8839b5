"""Signed webhooks from the WordPress bridge plugin, as pure functions.

Headers the plugin sends with every delivery (``POST /api/v1/integration/webhooks/wordpress/
status/``, ``Content-Type: application/json``):

* ``X-Igny8-Integration``: the integration id (which secret verifies the signature);
* ``X-Igny8-Delivery``: the delivery id, unique per delivery and kept across retries;
* ``X-Igny8-Timestamp``: Unix seconds when this attempt was signed (a retry re-signs);
* ``X-Igny8-Signature``: ``sha256=`` + lower-case hex HMAC-SHA256 with the integration's
  secret over ``delivery_id + "." + timestamp + "." + body`` (the body's exact bytes).

The body (JSON): ``event`` (``post.status_changed`` or ``post.deleted``), ``post_id``,
``content_id`` (the post's ``_igny8_content_id``), ``status`` (the new WordPress status, or
``deleted``), ``previous_status``, ``post_type``, ``url``, ``occurred_at`` (ISO 8601) and
``occurred_at_us`` (Unix microseconds when WordPress made the change: a retried delivery older
than a change already received for the same post is recorded but changes nothing).

A delivery is refused (nothing written) when a header is missing or malformed (400), the
timestamp is more than five minutes from now either way (401), the signature does not match
(401), the body is not a valid status change (400), or its delivery id was received before
(409: the plugin treats 409 as delivered and stops retrying).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from igny8_contracts.publisher_sync import WEBHOOK_TOLERANCE_SECONDS, ExternalContentStatus

SIGNATURE_PREFIX = "sha256="
CONNECTION_KEY_PREFIX = "igny8_ck_"
_DELIVERY_ID = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")
_HEX_SIGNATURE = re.compile(r"^[0-9a-f]{64}$")

STATUS_MAP: dict[str, ExternalContentStatus] = {
    "publish": "published",
    "draft": "draft",
    "pending": "review",
    "future": "scheduled",
    "trash": "archived",
    "deleted": "archived",
}


class WebhookRefused(Exception):  # noqa: N818
    """A delivery refused: ``status`` is the HTTP status to answer, ``field`` what was wrong."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict[str, list[str]] | None:
        return {self.field: [self.message]} if self.field else None


def map_status(wordpress_status: str) -> ExternalContentStatus | None:
    """IGNY8's content status for a WordPress post status; None when there is none."""
    return STATUS_MAP.get(wordpress_status)


def superseded(occurred_at_us: int | None, latest_received_us: int | None) -> bool:
    """Whether a change happened before one already received for the same post (a delivery
    retried after a later one got through). Without times, nothing is superseded."""
    return (occurred_at_us is not None and latest_received_us is not None
            and occurred_at_us < latest_received_us)


# ------------------------------------------------------------------------------ signing


def new_secret() -> str:
    """A fresh webhook secret: 32 random bytes, URL-safe base64."""
    return secrets.token_urlsafe(32)


def signed_payload(delivery_id: str, timestamp: str, body: bytes) -> bytes:
    return delivery_id.encode() + b"." + timestamp.encode() + b"." + body


def sign(secret: str, delivery_id: str, timestamp: str, body: bytes) -> str:
    """The ``X-Igny8-Signature`` header value for a delivery."""
    digest = hmac.new(secret.encode(), signed_payload(delivery_id, timestamp, body),
                      hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


@dataclass(frozen=True)
class SignedHeaders:
    """The signature headers after their format was checked."""

    integration_id: uuid.UUID
    delivery_id: str
    timestamp: int
    timestamp_text: str
    signature_hex: str


def parse_headers(integration_id: str, delivery_id: str, timestamp: str,
                  signature: str) -> SignedHeaders:
    """Check each header's form (400 naming the header); nothing is verified yet."""
    try:
        integration = uuid.UUID(integration_id.strip())
    except ValueError:
        raise WebhookRefused(400, "Not an integration id.", "X-Igny8-Integration") from None
    if not _DELIVERY_ID.match(delivery_id):
        raise WebhookRefused(400, "A delivery id is 8-100 letters, digits or . _ : -.",
                             "X-Igny8-Delivery")
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise WebhookRefused(400, "The timestamp is whole Unix seconds.", "X-Igny8-Timestamp")
    hex_part = signature.strip().removeprefix(SIGNATURE_PREFIX).lower()
    if not signature.strip().startswith(SIGNATURE_PREFIX) or not _HEX_SIGNATURE.match(hex_part):
        raise WebhookRefused(400, "The signature is sha256= and 64 hex digits.",
                             "X-Igny8-Signature")
    return SignedHeaders(integration, delivery_id, int(timestamp), timestamp, hex_part)


def check_timestamp(headers: SignedHeaders, now: float,
                    tolerance: int = WEBHOOK_TOLERANCE_SECONDS) -> None:
    """A signature is only good within ``tolerance`` seconds of ``now``, either way."""
    if abs(now - headers.timestamp) > tolerance:
        raise WebhookRefused(401, f"The timestamp is more than {tolerance} seconds from now; "
                                  "sign the delivery again.", "X-Igny8-Timestamp")


def verify_signature(secret: str, headers: SignedHeaders, body: bytes) -> None:
    """Constant-time comparison of the expected and given signatures (401 when they differ)."""
    expected = sign(secret, headers.delivery_id, headers.timestamp_text, body)
    if not hmac.compare_digest(expected.removeprefix(SIGNATURE_PREFIX), headers.signature_hex):
        raise WebhookRefused(401, "The signature does not match.", "X-Igny8-Signature")


def decode_body(body_base64: str) -> bytes:
    try:
        return base64.b64decode(body_base64, validate=True)
    except (binascii.Error, ValueError):
        raise WebhookRefused(400, "The body did not arrive intact.") from None


# ------------------------------------------------------------------------------ payload


class StatusChange(BaseModel):
    """The body of a verified delivery."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event: Literal["post.status_changed", "post.deleted"]
    post_id: int = Field(ge=1)
    content_id: uuid.UUID
    status: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_-]+$")
    previous_status: str | None = Field(default=None, max_length=40)
    post_type: str | None = Field(default=None, max_length=40)
    url: str | None = Field(default=None, max_length=2000)
    occurred_at_us: int | None = Field(default=None, ge=0, le=2**62)


def parse_status_change(body: bytes) -> StatusChange:
    """The status change a verified body describes (400 with the first wrong field)."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise WebhookRefused(400, "The body is not JSON.") from None
    try:
        change = StatusChange.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"]) or "body"
        raise WebhookRefused(400, f"{field}: {first['msg']}", field) from None
    if change.event == "post.deleted" and change.status != "deleted":
        raise WebhookRefused(400, "A deleted post's status is 'deleted'.", "status")
    return change


# ------------------------------------------------------------------------------ connection key


@dataclass(frozen=True)
class ConnectionKeyParts:
    webhook_url: str
    integration_id: uuid.UUID
    secret: str


def encode_connection_key(parts: ConnectionKeyParts) -> str:
    """``igny8_ck_`` + URL-safe base64 (no padding) of ``{"v":1,"url","integration_id",
    "secret"}``: one string to paste into the plugin's settings page."""
    document = json.dumps({"v": 1, "url": parts.webhook_url,
                           "integration_id": str(parts.integration_id),
                           "secret": parts.secret}, separators=(",", ":"))
    encoded = base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")
    return CONNECTION_KEY_PREFIX + encoded


def decode_connection_key(key: str) -> ConnectionKeyParts:
    """The parts of a connection key (ValueError when it is not one)."""
    if not key.startswith(CONNECTION_KEY_PREFIX):
        raise ValueError("not an IGNY8 connection key")
    encoded = key.removeprefix(CONNECTION_KEY_PREFIX)
    try:
        document = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        return ConnectionKeyParts(str(document["url"]), uuid.UUID(document["integration_id"]),
                                  str(document["secret"]))
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise ValueError("not an IGNY8 connection key") from exc
