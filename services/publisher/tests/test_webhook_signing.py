"""Signing, verification, header checks, status mapping and connection keys (pure)."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid

import pytest

from igny8_publisher.domain.webhooks import (
    ConnectionKeyParts,
    WebhookRefused,
    check_timestamp,
    decode_connection_key,
    encode_connection_key,
    map_status,
    parse_headers,
    parse_status_change,
    sign,
    superseded,
    verify_signature,
)

SECRET = "s3cret-for-tests"
INTEGRATION = uuid.uuid4()
DELIVERY = "3f1e2d4c-aaaa-bbbb-cccc-1234567890ab"
BODY = json.dumps({"event": "post.status_changed", "post_id": 12,
                   "content_id": str(uuid.uuid4()), "status": "publish",
                   "previous_status": "draft"}).encode()


def test_signature_is_hmac_sha256_hex_over_id_timestamp_and_body() -> None:
    expected = hmac.new(SECRET.encode(), f"{DELIVERY}.1700000000.".encode() + BODY,
                        hashlib.sha256).hexdigest()
    assert sign(SECRET, DELIVERY, "1700000000", BODY) == "sha256=" + expected


def test_a_correct_signature_verifies() -> None:
    signed = parse_headers(str(INTEGRATION), DELIVERY, "1700000000",
                           sign(SECRET, DELIVERY, "1700000000", BODY))
    verify_signature(SECRET, signed, BODY)


@pytest.mark.parametrize("change", ["body", "secret", "timestamp", "delivery"])
def test_any_change_breaks_the_signature(change: str) -> None:
    signature = sign(SECRET, DELIVERY, "1700000000", BODY)
    body, secret, timestamp, delivery = BODY, SECRET, "1700000000", DELIVERY
    if change == "body":
        body = BODY.replace(b"publish", b"draft")
    elif change == "secret":
        secret = SECRET + "x"
    elif change == "timestamp":
        timestamp = "1700000001"
    else:
        delivery = DELIVERY.replace("a", "b")
    signed = parse_headers(str(INTEGRATION), delivery, timestamp, signature)
    with pytest.raises(WebhookRefused) as refused:
        verify_signature(secret, signed, body)
    assert refused.value.status == 401
    assert refused.value.field == "X-Igny8-Signature"


def test_upper_case_hex_is_accepted() -> None:
    signature = sign(SECRET, DELIVERY, "1700000000", BODY).upper().replace("SHA256=", "sha256=")
    verify_signature(SECRET, parse_headers(str(INTEGRATION), DELIVERY, "1700000000", signature),
                     BODY)


@pytest.mark.parametrize(("integration", "delivery", "timestamp", "signature", "field"), [
    ("not-a-uuid", DELIVERY, "1700000000", "sha256=" + "a" * 64, "X-Igny8-Integration"),
    (str(INTEGRATION), "short", "1700000000", "sha256=" + "a" * 64, "X-Igny8-Delivery"),
    (str(INTEGRATION), "bad id with spaces", "1700000000", "sha256=" + "a" * 64,
     "X-Igny8-Delivery"),
    (str(INTEGRATION), DELIVERY, "17e8", "sha256=" + "a" * 64, "X-Igny8-Timestamp"),
    (str(INTEGRATION), DELIVERY, "-5", "sha256=" + "a" * 64, "X-Igny8-Timestamp"),
    (str(INTEGRATION), DELIVERY, "1700000000", "a" * 64, "X-Igny8-Signature"),
    (str(INTEGRATION), DELIVERY, "1700000000", "sha256=" + "z" * 64, "X-Igny8-Signature"),
    (str(INTEGRATION), DELIVERY, "1700000000", "sha256=" + "a" * 63, "X-Igny8-Signature"),
])
def test_malformed_headers_are_400_naming_the_header(
    integration: str, delivery: str, timestamp: str, signature: str, field: str
) -> None:
    with pytest.raises(WebhookRefused) as refused:
        parse_headers(integration, delivery, timestamp, signature)
    assert refused.value.status == 400
    assert refused.value.errors is not None and field in refused.value.errors


@pytest.mark.parametrize(("now", "accepted"), [
    (1700000000, True), (1700000300, True), (1699999700, True),
    (1700000301, False), (1699999699, False), (1800000000, False),
])
def test_timestamps_more_than_five_minutes_off_either_way_are_refused(
    now: int, accepted: bool
) -> None:
    signed = parse_headers(str(INTEGRATION), DELIVERY, "1700000000", "sha256=" + "a" * 64)
    if accepted:
        check_timestamp(signed, now)
    else:
        with pytest.raises(WebhookRefused) as refused:
            check_timestamp(signed, now)
        assert refused.value.status == 401


@pytest.mark.parametrize(("wordpress", "igny8"), [
    ("publish", "published"), ("draft", "draft"), ("pending", "review"),
    ("future", "scheduled"), ("trash", "archived"), ("deleted", "archived"),
    ("private", None), ("auto-draft", None), ("inherit", None),
])
def test_wordpress_statuses_map_to_igny8_content_statuses(wordpress: str,
                                                          igny8: str | None) -> None:
    assert map_status(wordpress) == igny8


def test_a_status_change_body_is_parsed() -> None:
    change = parse_status_change(BODY)
    assert change.post_id == 12 and change.status == "publish"


@pytest.mark.parametrize(("body", "field"), [
    (b"not json", None),
    (b'{"event": "post.status_changed", "post_id": 1, "status": "publish"}', "content_id"),
    (b'{"event": "post.status_changed", "post_id": 1, "content_id": "x", "status": "publish"}',
     "content_id"),
    (b'{"event": "post.exploded", "post_id": 1, "content_id": "' + str(uuid.uuid4()).encode()
     + b'", "status": "publish"}', "event"),
    (b'{"event": "post.deleted", "post_id": 1, "content_id": "' + str(uuid.uuid4()).encode()
     + b'", "status": "publish"}', "status"),
    (b'{"event": "post.status_changed", "post_id": 0, "content_id": "'
     + str(uuid.uuid4()).encode() + b'", "status": "publish"}', "post_id"),
])
def test_bad_bodies_are_400(body: bytes, field: str | None) -> None:
    with pytest.raises(WebhookRefused) as refused:
        parse_status_change(body)
    assert refused.value.status == 400
    assert refused.value.field == field


def test_a_connection_key_round_trips() -> None:
    parts = ConnectionKeyParts("https://igny8.example/api/v1/integration/webhooks/wordpress/"
                               "status/", INTEGRATION, "secret+/=")
    key = encode_connection_key(parts)
    assert key.startswith("igny8_ck_") and "=" not in key
    assert decode_connection_key(key) == parts


@pytest.mark.parametrize("key", ["", "igny8_ck_", "igny8_ck_!!!", "something-else",
                                 "igny8_ck_eyJ2IjoxfQ"])
def test_what_is_not_a_connection_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError):
        decode_connection_key(key)


@pytest.mark.parametrize(("occurred", "latest", "outdated"), [
    (None, None, False), (None, 5, False), (5, None, False),
    (5, 5, False), (6, 5, False), (4, 5, True),
])
def test_a_change_older_than_one_received_is_superseded(
    occurred: int | None, latest: int | None, outdated: bool
) -> None:
    assert superseded(occurred, latest) is outdated
