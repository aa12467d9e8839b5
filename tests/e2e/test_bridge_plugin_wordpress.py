"""The igny8-bridge plugin installed in a real WordPress (Debian's package, PHP's built-in
server, MariaDB), connected to the real gateway and publisher: the connection key pasted on
Settings → IGNY8, IGNY8's meta written and read through /wp/v2, site metadata with counts,
status changes made through WordPress's own REST API reaching IGNY8 as verified webhooks
(ExternalPostStatusChanged on JetStream), and a delivery kept while IGNY8 is unreachable and
delivered by a later cron run."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from igny8_publisher.domain.webhooks import decode_connection_key
from igny8_publisher.plugin_package import PLUGIN_DIR
from tests.e2e.conftest import Database, Gateway, Member, build_team
from tests.e2e.webhook_fixtures import (
    create_integration,
    issue_key,
    published_here,
    status_events,
)
from tests.wordpress.wordpress import LocalWordPress, php_string

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("publisher")]

IGNY8_META = {
    "_igny8_task_id": str(uuid.uuid4()), "_igny8_cluster_id": str(uuid.uuid4()),
    "_igny8_sector_id": str(uuid.uuid4()), "_igny8_keyword_ids": [str(uuid.uuid4()), "k-2"],
    "_yoast_wpseo_title": "Yoast title", "_yoast_wpseo_metadesc": "Yoast description",
    "_yoast_wpseo_focuskw": "trail shoes", "rank_math_title": "Rank Math title",
    "rank_math_description": "Rank Math description", "rank_math_focus_keyword": "trail",
}


@pytest.fixture(scope="module")
def bridge(fresh_wordpress: LocalWordPress) -> LocalWordPress:
    assert fresh_wordpress.activate_plugin(PLUGIN_DIR) == "igny8-bridge/igny8-bridge.php"
    return fresh_wordpress


@pytest.fixture(scope="module")
def owner(api: httpx.Client) -> Member:
    return build_team(Gateway(api)).owner


@pytest.fixture(scope="module")
def connection(bridge: LocalWordPress, api: httpx.Client, owner: Member) -> dict[str, Any]:
    """An integration for the WordPress, its key pasted through the settings page's form."""
    gw = Gateway(api)
    site = gw.create_site(owner, "Bridge site", "bridge.example.com")
    integration = create_integration(gw, owner, site["id"], url=bridge.base_url,
                                     username=bridge.admin_user,
                                     app_password=bridge.app_password)
    key = issue_key(gw, owner, integration["id"])
    assert paste_key(bridge, key["connection_key"]).endswith("igny8_notice=connected")
    stored = bridge.php_json("get_option('igny8_bridge_connection')")
    assert stored["integration_id"] == integration["id"]
    assert stored["url"] == key["webhook_url"]
    return {"integration": integration, "site": site, "key": key,
            "parts": decode_connection_key(key["connection_key"])}


def submit_settings(wp: LocalWordPress, task: str, key: str = "") -> str:
    """Submit a Settings → IGNY8 form (connect, retry, disconnect) as the admin: its handler,
    with a real nonce, inside WordPress (the fixture's wp-admin pages load Debian's config, not
    the test site's); where the handler redirects to."""
    return wp.php(
        f"wp_set_current_user(get_user_by('login', {php_string(wp.admin_user)})->ID);"
        f"$_POST = ['action' => 'igny8_bridge_settings', 'igny8_task' => {php_string(task)},"
        f" 'igny8_connection_key' => {php_string(key)},"
        " '_wpnonce' => wp_create_nonce('igny8_bridge_settings')];"
        "$_REQUEST = $_POST;"
        "add_filter('wp_redirect', function ($to) { echo $to; return $to; });"
        "Igny8_Settings_Page::handle_form();").strip()


def paste_key(wp: LocalWordPress, key: str) -> str:
    return submit_settings(wp, "connect", key)


@pytest.fixture
def rest(bridge: LocalWordPress) -> Iterator[httpx.Client]:
    with bridge.rest() as client:
        yield client


def new_post(rest: httpx.Client, content_id: str | None, status: str = "draft") -> Any:
    meta = {"_igny8_content_id": content_id} if content_id else {}
    created = rest.post("/wp/v2/posts", json={"title": f"Post {uuid.uuid4().hex[:6]}",
                                               "status": status, "meta": meta})
    assert created.status_code == 201, created.text
    return created.json()


def managed_post(rest: httpx.Client, db: Database, connection: dict[str, Any],
                 content_id: str) -> Any:
    """A draft carrying the content id, recorded as the integration's post for that content
    (as the publisher records what it publishes)."""
    post = new_post(rest, content_id)
    published_here(db, connection["parts"], content_id, post["id"])
    return post


def events_for(nats_url: str, owner: Member, content_id: str, wanted: int,
               tries: int = 20) -> list[Any]:
    """The content's status events on JetStream, once ``wanted`` are there (or after
    ``tries`` reads)."""
    found: list[Any] = []
    for _ in range(tries):
        found = [e for e in status_events(nats_url, owner.account_id, 10**6, attempts=1)
                 if e["data"]["content_id"] == content_id]
        if len(found) >= wanted:
            break
    return found


def pending(wp: LocalWordPress) -> dict[str, Any]:
    found: dict[str, Any] = wp.php_json("Igny8_Delivery_Queue::pending()") or {}
    return found


# ------------------------------------------------------------------------------ settings


def test_the_settings_page_shows_the_connection_and_refuses_a_bad_key(
    bridge: LocalWordPress, connection: dict[str, Any]
) -> None:
    page = bridge.php(
        "require_once ABSPATH . 'wp-admin/includes/template.php';"
        f"wp_set_current_user(get_user_by('login', {php_string(bridge.admin_user)})->ID);"
        "Igny8_Settings_Page::render();")
    assert connection["integration"]["id"] in page
    assert 'name="igny8_connection_key"' in page and 'name="_wpnonce"' in page
    assert connection["key"]["connection_key"] not in page
    assert paste_key(bridge, "igny8_ck_bm90IGEga2V5").endswith("igny8_notice=bad_key")
    assert paste_key(bridge, "something else").endswith("igny8_notice=bad_key")
    stored = bridge.php_json("get_option('igny8_bridge_connection')")
    assert stored["integration_id"] == connection["integration"]["id"]


# ------------------------------------------------------------------------------ meta


def test_igny8_and_seo_meta_are_written_and_read_through_the_rest_api(
    rest: httpx.Client
) -> None:
    content_id = str(uuid.uuid4())
    created = rest.post("/wp/v2/posts", json={
        "title": "Meta post", "status": "draft",
        "meta": {"_igny8_content_id": content_id, **IGNY8_META}})
    assert created.status_code == 201, created.text
    read = rest.get(f"/wp/v2/posts/{created.json()['id']}", params={"context": "edit"}).json()
    assert read["meta"]["_igny8_content_id"] == content_id
    for key, value in IGNY8_META.items():
        assert read["meta"][key] == value, key
    page = rest.post("/wp/v2/pages", json={"title": "Meta page",
                                            "meta": {"_igny8_content_id": content_id}})
    assert page.status_code == 201, page.text
    assert page.json()["meta"]["_igny8_content_id"] == content_id


def test_a_user_who_may_not_edit_the_post_cannot_write_its_meta(
    bridge: LocalWordPress, rest: httpx.Client
) -> None:
    post = new_post(rest, None, "publish")
    login = f"contrib{uuid.uuid4().hex[:6]}"
    bridge.create_user(login, "contributor")
    password = bridge.create_application_password(login, "test")
    with httpx.Client(base_url=bridge.rest_url, auth=(login, password), timeout=30) as other:
        refused = other.post(f"/wp/v2/posts/{post['id']}",
                             json={"meta": {"_igny8_content_id": str(uuid.uuid4())}})
    assert refused.status_code in (401, 403)
    assert rest.get(f"/wp/v2/posts/{post['id']}",
                    params={"context": "edit"}).json()["meta"]["_igny8_content_id"] == ""


# ------------------------------------------------------------------------------ metadata


def test_site_metadata_lists_post_types_and_taxonomies_with_counts(
    bridge: LocalWordPress, rest: httpx.Client
) -> None:
    category = rest.post("/wp/v2/categories", json={"name": f"Cat {uuid.uuid4().hex[:6]}"})
    assert category.status_code == 201
    answer = rest.get("/igny8/v1/site-metadata")
    assert answer.status_code == 200, answer.text
    metadata = answer.json()
    types = {t["name"]: t for t in metadata["post_types"]}
    assert {"post", "page"} <= set(types) and "attachment" not in types
    posts_now = bridge.php_json("(int) array_sum(array_diff_key((array) wp_count_posts('post'),"
                                " ['auto-draft' => 0]))")
    assert types["post"]["count"] == posts_now
    assert "category" in types["post"]["taxonomies"]
    taxonomies = {t["name"]: t for t in metadata["taxonomies"]}
    assert taxonomies["category"]["count"] == bridge.php_json(
        "(int) wp_count_terms(['taxonomy' => 'category', 'hide_empty' => false])")
    assert taxonomies["category"]["count"] >= 2
    assert "post_tag" in taxonomies
    assert httpx.get(f"{bridge.rest_url}/igny8/v1/site-metadata").status_code == 401
    login = f"sub{uuid.uuid4().hex[:6]}"
    bridge.create_user(login, "subscriber")
    password = bridge.create_application_password(login, "test")
    assert httpx.get(f"{bridge.rest_url}/igny8/v1/site-metadata",
                     auth=(login, password)).status_code == 403


# ------------------------------------------------------------------------------ webhooks


def test_status_changes_in_wordpress_reach_igny8_as_verified_webhooks(
    bridge: LocalWordPress, rest: httpx.Client, connection: dict[str, Any], owner: Member,
    nats_url: str, db: Database
) -> None:
    content_id = str(uuid.uuid4())
    post = managed_post(rest, db, connection, content_id)
    published = rest.post(f"/wp/v2/posts/{post['id']}", json={"status": "publish"})
    assert published.status_code == 200, published.text
    [event] = events_for(nats_url, owner, content_id, 1)
    assert event["data"] == {
        "account_id": owner.account_id, "site_id": connection["site"]["id"],
        "content_id": content_id, "integration_id": connection["integration"]["id"],
        "external_id": str(post["id"]), "wordpress_status": "publish", "status": "published"}
    for status, extra in (("pending", {}), ("future", {"date": "2099-01-01T09:00:00"}),
                          ("draft", {})):
        moved = rest.post(f"/wp/v2/posts/{post['id']}", json={"status": status, **extra})
        assert moved.status_code == 200 and moved.json()["status"] == status, moved.text
    assert rest.delete(f"/wp/v2/posts/{post['id']}").status_code == 200
    assert rest.delete(f"/wp/v2/posts/{post['id']}",
                       params={"force": "true"}).status_code == 200
    events = events_for(nats_url, owner, content_id, 6)
    assert [(e["data"]["wordpress_status"], e["data"]["status"]) for e in events] == [
        ("publish", "published"), ("pending", "review"), ("future", "scheduled"),
        ("draft", "draft"), ("trash", "archived"), ("deleted", "archived")]
    assert pending(bridge) == {}


def test_posts_igny8_does_not_manage_send_nothing(
    bridge: LocalWordPress, rest: httpx.Client, connection: dict[str, Any]
) -> None:
    before = bridge.php_json("count(Igny8_Delivery_Queue::pending())")
    post = new_post(rest, None)
    assert rest.post(f"/wp/v2/posts/{post['id']}", json={"status": "publish"}).status_code == 200
    assert bridge.php_json("count(Igny8_Delivery_Queue::pending())") == before


def test_an_unreachable_igny8_keeps_the_delivery_for_a_later_cron_run(
    bridge: LocalWordPress, rest: httpx.Client, connection: dict[str, Any], owner: Member,
    nats_url: str, db: Database
) -> None:
    real_url = connection["key"]["webhook_url"]
    set_webhook_url(bridge, "http://127.0.0.1:9/api/v1/integration/webhooks/wordpress/status/")
    try:
        content_id = str(uuid.uuid4())
        post = managed_post(rest, db, connection, content_id)
        assert rest.post(f"/wp/v2/posts/{post['id']}",
                         json={"status": "pending"}).status_code == 200
        kept = list(pending(bridge).values())
        assert len(kept) == 1
        assert kept[0]["attempts"] == 1 and kept[0]["last_error"]
        body = json.loads(kept[0]["body"])
        assert (body["content_id"], body["status"], body["post_id"]) == (
            content_id, "pending", post["id"])
        assert body["occurred_at_us"] > 0
        assert bridge.php_json("wp_next_scheduled('igny8_bridge_retry_deliveries')") >= \
            kept[0]["next_at"] - 1
        # A cron run while IGNY8 is still away: kept, with a longer wait.
        bridge.php("do_action('igny8_bridge_retry_deliveries', time() + 3600);")
        again = list(pending(bridge).values())
        assert again[0]["attempts"] == 2 and again[0]["id"] == kept[0]["id"]
    finally:
        set_webhook_url(bridge, real_url)
    assert events_for(nats_url, owner, content_id, 1, tries=1) == []
    bridge.php("do_action('igny8_bridge_retry_deliveries', time() + 7200);")
    assert pending(bridge) == {}
    [event] = events_for(nats_url, owner, content_id, 1)
    assert (event["data"]["wordpress_status"], event["data"]["status"]) == ("pending", "review")


def test_changes_made_at_the_same_time_are_all_kept_and_delivered(
    bridge: LocalWordPress, rest: httpx.Client, connection: dict[str, Any], owner: Member,
    nats_url: str, db: Database
) -> None:
    real_url = connection["key"]["webhook_url"]
    content_ids = [str(uuid.uuid4()) for _ in range(8)]
    posts = [managed_post(rest, db, connection, content_id) for content_id in content_ids]
    set_webhook_url(bridge, "http://127.0.0.1:9/api/v1/integration/webhooks/wordpress/status/")
    try:
        def publish(post: dict[str, Any]) -> int:
            with bridge.rest() as client:
                return client.post(f"/wp/v2/posts/{post['id']}",
                                   json={"status": "publish"}).status_code

        with ThreadPoolExecutor(max_workers=4) as pool:
            assert list(pool.map(publish, posts)) == [200] * len(posts)
        kept = {json.loads(d["body"])["content_id"] for d in pending(bridge).values()}
        assert kept == set(content_ids)
    finally:
        set_webhook_url(bridge, real_url)
    # "Send now" on the settings page sends them without waiting for their next attempt.
    assert submit_settings(bridge, "retry").endswith("igny8_notice=retried")
    assert pending(bridge) == {}
    for content_id in content_ids:
        [event] = events_for(nats_url, owner, content_id, 1)
        assert event["data"]["status"] == "published"


def set_webhook_url(wp: LocalWordPress, url: str) -> None:
    wp.php("$c = get_option('igny8_bridge_connection');"
           f" $c['url'] = {php_string(url)}; update_option('igny8_bridge_connection', $c, false);")



def test_disconnecting_stops_deliveries_until_connected_again(
    bridge: LocalWordPress, rest: httpx.Client, connection: dict[str, Any], owner: Member,
    nats_url: str, db: Database
) -> None:
    assert submit_settings(bridge, "disconnect").endswith("igny8_notice=disconnected")
    assert bridge.php_json("get_option('igny8_bridge_connection')") is False
    content_id = str(uuid.uuid4())
    post = managed_post(rest, db, connection, content_id)
    assert rest.post(f"/wp/v2/posts/{post['id']}", json={"status": "publish"}).status_code == 200
    [kept] = pending(bridge).values()
    assert kept["last_error"] == "not connected to IGNY8"
    # Connecting again sends what waited.
    assert paste_key(bridge, connection["key"]["connection_key"]).endswith(
        "igny8_notice=connected")
    bridge.php("do_action('igny8_bridge_retry_deliveries', time() + 3600);")
    assert pending(bridge) == {}
    [event] = events_for(nats_url, owner, content_id, 1)
    assert event["data"]["status"] == "published"
