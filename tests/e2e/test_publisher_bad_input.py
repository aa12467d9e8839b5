"""Publishing's bad input, against the real WordPress: a wrong application password (a clear
error, not retried, the integration needs attention), a URL that is not WordPress, a WordPress
with its REST API switched off, an article whose image file is missing (no half post),
addresses the SSRF guard refuses, and field errors."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Gateway, Team, build_team
from tests.e2e.publisher_fixtures import (
    INTEGRATIONS,
    PUBLISH,
    FakeWriter,
    article,
    connect,
    emitted,
    finished,
    publish,
    records,
    running_fake_writer,
)
from tests.wordpress.wordpress import LocalWordPress

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("publisher")]


@pytest.fixture(scope="module")
def fake_writer(nats_url: str, igny8_tmp_dir: Path,
                request: pytest.FixtureRequest) -> Iterator[FakeWriter]:
    with running_fake_writer(nats_url, igny8_tmp_dir, request) as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def crew(api: httpx.Client) -> Team:
    return build_team(Gateway(api))


@pytest.fixture(scope="module")
def plain_site() -> Iterator[str]:
    """A web server on 127.0.0.1 that is not WordPress (an HTML page for every path)."""
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><body>A shop, not a blog.</body></html>"
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def checks(result: dict[str, Any]) -> dict[str, bool | None]:
    return {c["name"]: c["ok"] for c in result["checks"]}


def test_a_wrong_password_is_a_clear_error_not_retried_and_needs_attention(
        gw: Gateway, crew: Team, wordpress: LocalWordPress, fake_writer: FakeWriter,
        db: Any) -> None:
    integration = connect(gw, crew.owner, crew.granted_site["id"], wordpress.base_url,
                          wordpress.admin_user, "wrong pass word 1234")
    tested = gw.ok(gw.call("POST", f"{INTEGRATIONS}{integration['id']}/test-connection/", crew.owner))
    assert tested["ok"] is False
    assert checks(tested) == {"address": True, "rest_api": True, "credentials": False,
                              "can_publish": None}
    assert "application password" in tested["message"]
    detail = gw.ok(gw.call("GET", f"{INTEGRATIONS}{integration['id']}/", crew.owner))
    assert detail["status"] == "needs_attention" and detail["last_error"] == tested["message"]

    content = fake_writer.add(article(crew.owner.account_id, crew.granted_site["id"], fake_writer.media))
    operation = finished(gw, crew.owner, publish(gw, crew.owner, integration["id"], [content.content_id]))
    assert operation["state"] == "failed" and "application password" in operation["error"]
    [record] = records(gw, crew.owner, content_id=str(content.content_id))
    assert record["status"] == "failed" and record["attempts"] == 1 and record["external_id"] is None
    assert "application password" in record["errors"][0]
    assert emitted(db, "evt.publisher.content.publish_failed.v1", content.content_id) == [
        {"retryable": False, "reason": record["errors"][0]}]
    # Fixing the password makes it usable again.
    gw.ok(gw.call("PATCH", f"{INTEGRATIONS}{integration['id']}/", crew.owner,
                  json={"app_password": wordpress.app_password}))
    fixed = gw.ok(gw.call("POST", f"{INTEGRATIONS}{integration['id']}/test-connection/", crew.owner))
    assert fixed["ok"] is True
    assert gw.ok(gw.call("GET", f"{INTEGRATIONS}{integration['id']}/", crew.owner))["status"] == "active"
    gw.ok(gw.call("DELETE", f"{INTEGRATIONS}{integration['id']}/", crew.owner))


def test_a_url_that_is_not_wordpress(gw: Gateway, crew: Team, plain_site: str) -> None:
    tested = gw.ok(gw.call("POST", f"{INTEGRATIONS}test-connection/", crew.editor, json={
        "url": plain_site, "username": "admin", "app_password": "abcd"}))
    assert tested["ok"] is False and checks(tested)["rest_api"] is False
    assert "No WordPress REST API" in tested["message"]


def test_a_wordpress_with_its_rest_api_switched_off(gw: Gateway, crew: Team,
                                                     wordpress: LocalWordPress) -> None:
    with wordpress.rest_api_disabled():
        tested = gw.ok(gw.call("POST", f"{INTEGRATIONS}test-connection/", crew.editor, json={
            "url": wordpress.base_url, "username": wordpress.admin_user,
            "app_password": wordpress.app_password}))
    assert tested["ok"] is False and checks(tested)["rest_api"] is False
    assert "REST API is not available" in tested["message"]


def test_an_article_whose_image_file_is_missing_sends_nothing(
        gw: Gateway, crew: Team, wordpress: LocalWordPress, fake_writer: FakeWriter) -> None:
    integration = connect(gw, crew.owner, crew.other_site["id"], wordpress.base_url,
                          wordpress.admin_user, wordpress.app_password)
    content = fake_writer.add(article(crew.owner.account_id, crew.other_site["id"], fake_writer.media))
    (fake_writer.media / content.images[2].storage_key).unlink()
    operation = finished(gw, crew.owner, publish(gw, crew.owner, integration["id"], [content.content_id]))
    assert operation["state"] == "failed"
    assert f"image {content.images[2].image_id} has no file" in operation["error"]
    assert wordpress.posts(search=f"igny8-content-id:{content.content_id}") == []
    with wordpress.rest() as client:
        featured = client.get("/wp/v2/media", params={"slug": f"igny8-{content.images[0].image_id}"})
    assert featured.json() == []


@pytest.mark.parametrize(("url", "reason"), [
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://[fd00::1]:8080/", "fd00::1 is a private address"),
])
def test_private_and_metadata_addresses_are_refused(gw: Gateway, crew: Team, url: str,
                                                    reason: str) -> None:
    tested = gw.ok(gw.call("POST", f"{INTEGRATIONS}test-connection/", crew.editor, json={
        "url": url, "username": "admin", "app_password": "abcd"}))
    assert tested["ok"] is False and checks(tested)["address"] is False
    assert reason in tested["message"]


def test_field_errors(gw: Gateway, crew: Team) -> None:
    site = crew.granted_site["id"]
    missing = gw.fail(gw.call("POST", INTEGRATIONS, crew.owner, json={
        "site_id": site, "url": "https://blog.example"}), 400)
    assert {"username", "app_password"} <= set(missing["errors"])
    scheme = gw.fail(gw.call("POST", INTEGRATIONS, crew.owner, json={
        "site_id": site, "url": "ftp://blog.example", "username": "a", "app_password": "b"}), 400)
    assert "http" in scheme["errors"]["url"][0]
    gw.fail(gw.call("POST", INTEGRATIONS, crew.owner, json={
        "site_id": site, "url": "https://blog.example", "username": "a", "app_password": "b",
        "password": "extra"}), 400)
    unsaved = gw.fail(gw.call("POST", f"{INTEGRATIONS}test-connection/", crew.owner,
                              json={"url": "https://blog.example"}), 400)
    assert {"username", "app_password"} <= set(unsaved["errors"])
    body = {"integration_id": "6d1b4c3e-52a8-4c1e-9a63-3c8f8d9b1f00", "content_ids": []}
    assert "content_ids" in gw.fail(gw.call("POST", PUBLISH, crew.owner, json=body), 400)["errors"]
    body["content_ids"] = ["6d1b4c3e-52a8-4c1e-9a63-3c8f8d9b1f01"]
    gw.fail(gw.call("POST", PUBLISH, crew.owner, json={**body, "status": "future"}), 400)
    gw.fail(gw.call("POST", PUBLISH, crew.owner, json={**body, "status": "live"}), 400)
    gw.fail(gw.call("POST", PUBLISH, crew.owner, json=body), 404)  # unknown integration


BUSY_PLUGIN = """<?php
// Test switch: creating posts answers 503 (Retry-After: 1) while igny8_test_busy_left > 0.
add_filter('rest_pre_dispatch', static function ($result, $server, $request) {
    if ($request->get_method() !== 'POST' || $request->get_route() !== '/wp/v2/posts') {
        return $result;
    }
    $left = (int) get_option('igny8_test_busy_left', 0);
    if ($left <= 0) {
        return $result;
    }
    update_option('igny8_test_busy_left', $left - 1);
    header('Retry-After: 1');
    return new WP_Error('busy', 'Busy, try again later.', ['status' => 503]);
}, 10, 3);
"""


@contextlib.contextmanager
def busy(wp: LocalWordPress, answers: int) -> Iterator[None]:
    switch = wp.content_dir / "mu-plugins" / "igny8-test-busy.php"
    switch.write_text(BUSY_PLUGIN)
    wp.php(f"update_option('igny8_test_busy_left', {answers});")
    try:
        yield
    finally:
        switch.unlink(missing_ok=True)
        wp.php("delete_option('igny8_test_busy_left');")


def test_a_busy_wordpress_is_retried_and_a_down_one_fails_retryably(
        gw: Gateway, crew: Team, wordpress: LocalWordPress, fake_writer: FakeWriter,
        db: Any) -> None:
    integration = gw.listing(gw.call("GET", INTEGRATIONS, crew.owner,
                                     params={"site_id": crew.other_site["id"]}))["results"]
    integration_id = integration[0]["id"] if integration else connect(
        gw, crew.owner, crew.other_site["id"], wordpress.base_url, wordpress.admin_user,
        wordpress.app_password)["id"]
    lucky = fake_writer.add(article(crew.owner.account_id, crew.other_site["id"], fake_writer.media,
                                    in_article=0))
    with busy(wordpress, answers=2):
        operation = finished(gw, crew.owner, publish(gw, crew.owner, integration_id, [lucky.content_id]))
        assert wordpress.php("echo get_option('igny8_test_busy_left');") == "0"
    assert operation["state"] == "succeeded", operation
    assert len(wordpress.posts(search=f"igny8-content-id:{lucky.content_id}")) == 1
    [record] = records(gw, crew.owner, content_id=str(lucky.content_id))
    assert record["attempts"] == 1  # the retries happened inside the one attempt

    unlucky = fake_writer.add(article(crew.owner.account_id, crew.other_site["id"],
                                      fake_writer.media, in_article=0))
    with busy(wordpress, answers=100):
        operation = finished(gw, crew.owner, publish(gw, crew.owner, integration_id,
                                                     [unlucky.content_id]))
    assert operation["state"] == "failed" and "503" in operation["error"]
    assert emitted(db, "evt.publisher.content.publish_failed.v1", unlucky.content_id)[0][
        "retryable"] is True
    assert gw.ok(gw.call("GET", f"{INTEGRATIONS}{integration_id}/", crew.owner))["status"] == "active"
