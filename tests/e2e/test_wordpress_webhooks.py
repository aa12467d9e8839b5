"""The bridge plugin's signed status webhook through the gateway, against the real publisher:
a valid delivery emits ExternalPostStatusChanged (read from JetStream); a forged signature, a
stale timestamp, a replayed delivery id, an unknown integration and malformed input are
refused in the unified format with nothing written; connection keys are for owners and
admins of the account only, and a new key retires the old secret."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from igny8_devtools.testing import ServiceProcess
from igny8_publisher.domain.webhooks import decode_connection_key, sign
from tests.e2e.conftest import Database, Gateway, Team
from tests.e2e.webhook_fixtures import (
    INTEGRATIONS,
    WEBHOOK,
    connected,
    create_integration,
    deliver,
    issue_key,
    published_here,
    status_body,
    status_events,
    written,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("publisher")]


def test_a_valid_delivery_emits_the_status_change(
    gw: Gateway, team: Team, api: httpx.Client, nats_url: str, db: Database
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    content_id = str(uuid.uuid4())
    published_here(db, parts, content_id, 77)
    receipt = gw.ok(deliver(api, parts, status_body(content_id, "publish", post_id=77)))
    assert receipt == {
        "delivery_id": receipt["delivery_id"], "integration_id": str(parts.integration_id),
        "content_id": content_id, "external_id": "77", "wordpress_status": "publish",
        "status": "published", "ignored": False}

    [event] = status_events(nats_url, team.owner.account_id, 1)
    assert event["type"] == "com.igny8.evt.publisher.post.status_changed.v1"
    assert event["data"] == {
        "account_id": team.owner.account_id, "site_id": team.granted_site["id"],
        "content_id": content_id, "integration_id": str(parts.integration_id),
        "external_id": "77", "wordpress_status": "publish", "status": "published"}
    assert written(db, parts.integration_id) == (1, 1)


def test_trash_deletion_and_review_map_and_private_is_recorded_without_an_event(
    gw: Gateway, team: Team, api: httpx.Client, nats_url: str, db: Database
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    content_id = str(uuid.uuid4())
    published_here(db, parts, content_id, 41)
    answers = [gw.ok(deliver(api, parts, status_body(content_id, status, event=event)))
               for status, event in (("pending", "post.status_changed"),
                                     ("trash", "post.status_changed"),
                                     ("private", "post.status_changed"),
                                     ("deleted", "post.deleted"))]
    assert [a["status"] for a in answers] == ["review", "archived", None, "archived"]
    assert [a["ignored"] for a in answers] == [False, False, True, False]
    events = status_events(nats_url, team.owner.account_id, 3)
    assert [(e["data"]["wordpress_status"], e["data"]["status"]) for e in events] == [
        ("pending", "review"), ("trash", "archived"), ("deleted", "archived")]
    assert written(db, parts.integration_id) == (4, 3)


def test_a_forged_signature_is_refused_and_nothing_is_written(
    gw: Gateway, team: Team, api: httpx.Client, db: Database
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    body = status_body(str(uuid.uuid4()))
    forged = gw.fail(deliver(api, parts, body, secret="not-the-secret-at-all"), 401)
    assert "X-Igny8-Signature" in forged["errors"]
    # Signed correctly, then the body changed on the way.
    delivery, stamp = str(uuid.uuid4()), int(time.time())
    tampered = gw.fail(deliver(api, parts, body.replace(b"publish", b"draft"),
                               delivery_id=delivery, timestamp=stamp,
                               signature=sign(parts.secret, delivery, str(stamp), body)), 401)
    assert tampered["error"] == "The signature does not match."
    assert written(db, parts.integration_id) == (0, 0)


@pytest.mark.parametrize("offset", [-301, 301, -86_400])
def test_a_stale_or_future_timestamp_is_refused(
    gw: Gateway, team: Team, api: httpx.Client, db: Database, offset: int
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    refused = gw.fail(deliver(api, parts, status_body(str(uuid.uuid4())),
                              timestamp=int(time.time()) + offset), 401)
    assert "X-Igny8-Timestamp" in refused["errors"]
    assert written(db, parts.integration_id) == (0, 0)


def test_a_replayed_delivery_is_refused_even_signed_anew(
    gw: Gateway, team: Team, api: httpx.Client, nats_url: str, db: Database
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    content_id, delivery = str(uuid.uuid4()), str(uuid.uuid4())
    published_here(db, parts, content_id, 41)
    body = status_body(content_id, "draft")
    gw.ok(deliver(api, parts, body, delivery_id=delivery))
    replay = gw.fail(deliver(api, parts, body, delivery_id=delivery), 409)
    assert "X-Igny8-Delivery" in replay["errors"]
    assert len(status_events(nats_url, team.owner.account_id, 1)) == 1
    assert written(db, parts.integration_id) == (1, 1)


def test_a_retried_older_change_does_not_undo_a_later_one(
    gw: Gateway, team: Team, api: httpx.Client, nats_url: str, db: Database
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    content_id, now_us = str(uuid.uuid4()), int(time.time() * 1_000_000)
    other_content = str(uuid.uuid4())
    published_here(db, parts, content_id, 41)
    published_here(db, parts, other_content, 42)
    first = gw.ok(deliver(api, parts, status_body(content_id, "draft", occurred_at_us=now_us)))
    later = gw.ok(deliver(api, parts, status_body(content_id, "publish",
                                                  occurred_at_us=now_us + 2_000_000)))
    # The draft change's retry of an even earlier state (pending) arrives last.
    retried = gw.ok(deliver(api, parts, status_body(content_id, "pending",
                                                    occurred_at_us=now_us - 1_000_000)))
    assert [first["ignored"], later["ignored"], retried["ignored"]] == [False, False, True]
    assert retried["status"] == "review"
    events = status_events(nats_url, team.owner.account_id, 2)
    assert [e["data"]["wordpress_status"] for e in events] == ["draft", "publish"]
    # Another post of the same integration is not held back by this one's times.
    other = gw.ok(deliver(api, parts, status_body(other_content, "trash", post_id=42,
                                                  occurred_at_us=now_us - 5_000_000)))
    assert other["ignored"] is False
    assert written(db, parts.integration_id) == (4, 3)


def test_only_the_post_the_integration_published_moves_the_content(
    gw: Gateway, team: Team, api: httpx.Client, nats_url: str, db: Database
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    content_id = str(uuid.uuid4())
    published_here(db, parts, content_id, 41)
    # A copy of the post (same _igny8_content_id), and content this integration never
    # published (e.g. another site's): received, changing nothing.
    copy = gw.ok(deliver(api, parts, status_body(content_id, "trash", post_id=99)))
    foreign = gw.ok(deliver(api, parts, status_body(str(uuid.uuid4()), "trash", post_id=41)))
    assert copy["ignored"] is True and foreign["ignored"] is True
    own = gw.ok(deliver(api, parts, status_body(content_id, "draft", post_id=41)))
    assert own["ignored"] is False
    events = status_events(nats_url, team.owner.account_id, 1)
    assert [(e["data"]["external_id"], e["data"]["status"]) for e in events] == [("41", "draft")]
    assert written(db, parts.integration_id) == (3, 1)


def test_unknown_integrations_and_integrations_without_a_key_are_404(
    gw: Gateway, team: Team, api: httpx.Client
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    body = status_body(str(uuid.uuid4()))
    gw.fail(deliver(api, parts, body, integration_id=str(uuid.uuid4())), 404)
    keyless = create_integration(gw, team.owner, team.other_site["id"])
    gw.fail(deliver(api, parts, body, integration_id=keyless["id"]), 404)


def test_malformed_headers_and_bodies_are_400_naming_what_is_wrong(
    gw: Gateway, team: Team, api: httpx.Client, db: Database
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    missing = gw.fail(api.post(WEBHOOK, content=b"{}", headers={
        "X-Igny8-Integration": str(parts.integration_id)}), 400)
    assert set(missing["errors"]) == {"X-Igny8-Delivery", "X-Igny8-Timestamp",
                                      "X-Igny8-Signature"}
    not_hex = gw.fail(deliver(api, parts, b"{}", signature="sha256=nothex"), 400)
    assert "X-Igny8-Signature" in not_hex["errors"]
    not_json = gw.fail(deliver(api, parts, b"not json"), 400)
    assert not_json["error"] == "The body is not JSON."
    no_content = gw.fail(deliver(api, parts, b'{"event": "post.status_changed", '
                                             b'"post_id": 3, "status": "publish"}'), 400)
    assert "content_id" in no_content["errors"]
    too_big = gw.fail(deliver(api, parts, b"{" + b" " * 70_000 + b"}"), 413)
    assert too_big["error"]
    assert written(db, parts.integration_id) == (0, 0)


def test_connection_keys_are_for_owners_and_admins_of_the_account(
    gw: Gateway, team: Team, api: httpx.Client
) -> None:
    integration = create_integration(gw, team.owner, team.granted_site["id"])
    path = f"{INTEGRATIONS}{integration['id']}/connection-key/"
    for role in ("editor", "viewer"):
        gw.fail(gw.call("POST", path, team.member(role)), 403)
    gw.fail(gw.call("POST", path), 401)
    stranger = gw.register("stranger")
    gw.fail(gw.call("POST", path, stranger), 404)
    gw.fail(gw.call("POST", f"{INTEGRATIONS}{uuid.uuid4()}/connection-key/", team.owner), 404)
    issued = issue_key(gw, team.admin, integration["id"])
    assert issued["connection_key"].startswith("igny8_ck_")
    assert issued["webhook_url"].endswith(WEBHOOK)
    assert issued["site_id"] == team.granted_site["id"]


def test_a_new_key_retires_the_old_secret(
    gw: Gateway, team: Team, api: httpx.Client, gateway: ServiceProcess, db: Database
) -> None:
    integration = create_integration(gw, team.owner, team.granted_site["id"])
    old = decode_connection_key(issue_key(gw, team.owner, integration["id"])["connection_key"])
    new = decode_connection_key(issue_key(gw, team.owner, integration["id"])["connection_key"])
    assert old.secret != new.secret
    assert new.webhook_url == gateway.url(WEBHOOK)
    content_id = str(uuid.uuid4())
    published_here(db, new, content_id, 41)
    body = status_body(content_id)
    gw.fail(deliver(api, old, body), 401)
    assert gw.ok(deliver(api, new, body))["ignored"] is False


def test_key_status_and_revocation(
    gw: Gateway, team: Team, api: httpx.Client, db: Database
) -> None:
    integration = create_integration(gw, team.owner, team.granted_site["id"])
    path = f"{INTEGRATIONS}{integration['id']}/connection-key/"
    before = gw.ok(gw.call("GET", path, team.viewer))
    assert (before["issued"], before["issued_at"], before["deliveries_received"]) == (
        False, None, 0)
    parts = decode_connection_key(issue_key(gw, team.owner, integration["id"])["connection_key"])
    content_id = str(uuid.uuid4())
    published_here(db, parts, content_id, 41)
    gw.ok(deliver(api, parts, status_body(content_id)))
    status = gw.ok(gw.call("GET", path, team.editor))
    assert status["issued"] is True and status["issued_at"]
    assert status["deliveries_received"] == 1 and status["last_delivery_at"]
    assert "connection_key" not in status and "secret" not in str(status)
    stranger = gw.register("stranger")
    gw.fail(gw.call("GET", path, stranger), 404)
    gw.fail(gw.call("DELETE", path, stranger), 404)
    gw.fail(gw.call("DELETE", path, team.editor), 403)
    revoked = gw.ok(gw.call("DELETE", path, team.admin))
    assert revoked["issued"] is False and revoked["deliveries_received"] == 1
    gw.fail(deliver(api, parts, status_body(content_id, "draft")), 404)
    # The other site's integration is out of the editor's sight.
    hidden = create_integration(gw, team.owner, team.other_site["id"])
    gw.fail(gw.call("GET", f"{INTEGRATIONS}{hidden['id']}/connection-key/", team.editor), 404)


def test_the_publishing_record_shows_the_status_wordpress_reported(
    gw: Gateway, team: Team, api: httpx.Client, db: Database
) -> None:
    parts = connected(gw, team.owner, team.granted_site["id"])
    content_id = str(uuid.uuid4())
    published_here(db, parts, content_id, 58)

    def record() -> dict[str, object]:
        listing = gw.listing(gw.call("GET", "/api/v1/publisher/records/", team.owner,
                                     params={"integration_id": str(parts.integration_id)}))
        [only] = listing["results"]
        return dict(only)

    assert record()["wordpress_status"] is None
    for status in ("pending", "private", "draft"):
        gw.ok(deliver(api, parts, status_body(content_id, status, post_id=58)))
        assert record()["wordpress_status"] == status
    # A post the integration did not publish as this content changes nothing.
    gw.ok(deliver(api, parts, status_body(content_id, "trash", post_id=999)))
    assert record()["wordpress_status"] == "draft"
