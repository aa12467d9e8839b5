"""Publishing to a real WordPress (Debian's package, PHP's built-in server, MariaDB) through the
gateway and the publisher: connect, test the connection, read the site's structure, publish an
article with a featured and two in-article images, categories, tags and SEO fields (the bridge
plugin installed, so the SEO meta is writable) and read the post back through WordPress's own
REST API; publishing again after an edit updates the same post; the same command delivered
twice, a double click, and the publisher killed right after WordPress created the post leave
exactly one post.

The writer's answer to GetPublishableContent comes from a stand-in (``FakeWriter``) so each
test controls the article; everything else is the real thing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest

from igny8_contracts import Envelope
from igny8_contracts.operations import PublisherOperationUpdated
from igny8_contracts.publisher import PublishContent
from igny8_contracts.writer import ContentApproved, PublishableContent
from igny8_devtools.testing import ServiceProcess
from igny8_publisher.plugin_package import PLUGIN_DIR
from tests.e2e.conftest import Gateway, Team, build_team
from tests.e2e.jetstream import consumed_through
from tests.e2e.operations_fixtures import FakeService
from tests.e2e.publisher_fixtures import (
    INTEGRATIONS,
    FakeWriter,
    article,
    connect,
    emitted,
    finished,
    publish,
    records,
    running_fake_writer,
)
from tests.e2e.service_fixtures import reconfigured
from tests.wordpress.wordpress import LocalWordPress

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("publisher")]

PUBLISH_CONSUMER = "publisher--publish-content"


@pytest.fixture(scope="module")
def site_wp(wordpress: LocalWordPress) -> LocalWordPress:
    """The session's WordPress with the bridge plugin active (it registers the SEO meta)."""
    wordpress.activate_plugin(PLUGIN_DIR)
    return wordpress


@pytest.fixture(scope="module")
def fake_writer(nats_url: str, igny8_tmp_dir: Path,
                request: pytest.FixtureRequest) -> Iterator[FakeWriter]:
    with running_fake_writer(nats_url, igny8_tmp_dir, request) as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def crew(api: httpx.Client) -> Team:
    return build_team(Gateway(api))


@pytest.fixture(scope="module")
def connected(api: httpx.Client, crew: Team, site_wp: LocalWordPress) -> dict[str, Any]:
    gw = Gateway(api)
    return connect(gw, crew.owner, crew.granted_site["id"], site_wp.base_url, site_wp.admin_user,
                   site_wp.app_password)


def marked_posts(wp: LocalWordPress, content_id: uuid.UUID) -> list[dict[str, Any]]:
    return [p for p in wp.posts(search=f"igny8-content-id:{content_id}")
            if f"igny8-content-id:{content_id}" in p["content"]["raw"]]


def term_names(wp: LocalWordPress, taxonomy: str, ids: list[int]) -> set[str]:
    with wp.rest() as client:
        return {client.get(f"/wp/v2/{taxonomy}/{i}").json()["name"] for i in ids}


def test_connect_test_and_read_the_site_structure(gw: Gateway, crew: Team,
                                                  connected: dict[str, Any], db: Any,
                                                  site_wp: LocalWordPress) -> None:
    assert "app_password" not in connected and connected["has_app_password"] is True
    stored = db.scalar("SELECT app_password_encrypted FROM publisher.integrations WHERE id = :i",
                       i=connected["id"])
    assert site_wp.app_password not in stored and stored.startswith("gAAAA")

    tested = gw.ok(gw.call("POST", f"{INTEGRATIONS}{connected['id']}/test-connection/", crew.editor))
    assert tested["ok"] is True, tested
    assert [(c["name"], c["ok"]) for c in tested["checks"]] == [
        ("address", True), ("rest_api", True), ("credentials", True), ("can_publish", True)]
    assert tested["wordpress_user"] == site_wp.admin_user and tested["plugin_detected"] is True

    structure = gw.ok(gw.call("POST", f"{INTEGRATIONS}{connected['id']}/update-structure/",
                              crew.editor))
    assert "Uncategorized" in {c["name"] for c in structure["categories"]}
    assert {"post", "page"} <= {t["slug"] for t in structure["post_types"]}
    assert site_wp.admin_user in {a["slug"] for a in structure["authors"]}
    detail = gw.ok(gw.call("GET", f"{INTEGRATIONS}{connected['id']}/", crew.viewer))
    assert detail["structure"]["categories"] == structure["categories"]
    assert "app_password" not in detail


def test_an_article_is_published_with_images_terms_and_seo_fields_then_updated(
        gw: Gateway, crew: Team, connected: dict[str, Any], site_wp: LocalWordPress,
        fake_writer: FakeWriter, db: Any) -> None:
    content = article(crew.owner.account_id, crew.granted_site["id"], fake_writer.media)
    fake_writer.contents[content.content_id] = content
    operation = finished(gw, crew.editor, publish(gw, crew.editor, connected["id"],
                                                  [content.content_id]))
    assert operation["state"] == "succeeded", operation
    [outcome] = operation["result"]["articles"]

    with site_wp.rest() as client:
        post = client.get(f"/wp/v2/posts/{outcome['external_id']}", params={"context": "edit"}).json()
        featured = client.get(f"/wp/v2/media/{post['featured_media']}", params={"context": "edit"}).json()
    assert post["title"]["raw"] == content.title and post["status"] == "publish"
    assert post["slug"] == content.slug and post["excerpt"]["raw"] == content.excerpt
    assert post["link"] == outcome["external_url"]
    assert term_names(site_wp, "categories", post["categories"]) == {"Running", "Shoes"}
    assert term_names(site_wp, "tags", post["tags"]) == {"trail", "review"}
    assert featured["alt_text"] == "Alt 0" and featured["slug"] == f"igny8-{content.images[0].image_id}"
    html = post["content"]["raw"]
    for image in content.images[1:]:
        assert image.src not in html
        assert f"{site_wp.base_url}/wp-content/uploads/igny8-{image.image_id}.png" in html
    meta = post["meta"]
    assert meta["_yoast_wpseo_title"] == meta["rank_math_title"] == content.meta_title
    assert meta["_yoast_wpseo_metadesc"] == meta["rank_math_description"] == content.meta_description
    assert meta["_yoast_wpseo_focuskw"] == meta["rank_math_focus_keyword"] == content.focus_keyword
    assert meta["_igny8_content_id"] == str(content.content_id)
    assert meta["_igny8_keyword_ids"] == [str(k) for k in content.keyword_ids]

    [record] = records(gw, crew.viewer, content_id=str(content.content_id))
    assert record["status"] == "published" and record["external_id"] == outcome["external_id"]
    assert record["external_url"] == post["link"] and record["errors"] == []
    [published] = emitted(db, "evt.publisher.content.published.v1", content.content_id)
    assert published["external_id"] == outcome["external_id"]
    assert published["external_url"] == post["link"] and published["content_version"] == 1

    # Edited in IGNY8 and published again: the same post changes, no second post or upload.
    edited = content.model_copy(update={"title": "Trail running shoes, tested", "version": 2})
    fake_writer.contents[content.content_id] = edited
    again = finished(gw, crew.editor, publish(gw, crew.editor, connected["id"], [content.content_id]))
    assert again["result"]["articles"][0]["external_id"] == outcome["external_id"]
    [only] = marked_posts(site_wp, content.content_id)
    assert only["title"]["raw"] == "Trail running shoes, tested"
    with site_wp.rest() as client:
        uploads = client.get("/wp/v2/media", params={"search": "Alt 1", "per_page": 100}).json()
    assert len([m for m in uploads if m["slug"] == f"igny8-{content.images[1].image_id}"]) == 1


def test_drafts_and_scheduled_posts(gw: Gateway, crew: Team, connected: dict[str, Any],
                                    site_wp: LocalWordPress, fake_writer: FakeWriter) -> None:
    draft = article(crew.owner.account_id, crew.granted_site["id"], fake_writer.media, in_article=0)
    later = article(crew.owner.account_id, crew.granted_site["id"], fake_writer.media, in_article=0)
    fake_writer.contents.update({draft.content_id: draft, later.content_id: later})
    assert finished(gw, crew.owner, publish(gw, crew.owner, connected["id"], [draft.content_id],
                                            status="draft"))["state"] == "succeeded"
    scheduled = finished(gw, crew.owner, publish(gw, crew.owner, connected["id"], [later.content_id],
                                                 status="future", publish_at="2031-05-04T10:30:00Z"))
    assert scheduled["state"] == "succeeded", scheduled
    [draft_post] = marked_posts(site_wp, draft.content_id)
    [future_post] = marked_posts(site_wp, later.content_id)
    assert draft_post["status"] == "draft"
    assert future_post["status"] == "future" and future_post["date_gmt"] == "2031-05-04T10:30:00"


def _send_twice(nats_url: str, command: PublishContent, account_id: str) -> tuple[Envelope, int]:
    """One envelope published twice under different JetStream message ids: JetStream keeps
    both (a redelivery in all but name); the publisher's inbox must recognise the second.
    Returns the envelope and the stream sequence of the second copy."""
    envelope = Envelope.wrap(command, source="igny8/gateway", correlation_id="e2e",
                             account_id=uuid.UUID(account_id))

    async def send() -> list[int]:
        nc = await nats.connect(nats_url)
        try:
            js = nc.jetstream()
            return [(await js.publish(envelope.subject, envelope.model_dump_json().encode(),
                                      headers={"Nats-Msg-Id": f"{envelope.id}-{copy}"})).seq
                    for copy in ("a", "b")]
        finally:
            await nc.drain()
    first, second = asyncio.run(send())
    assert second > first, "JetStream kept both copies"
    return envelope, second


def operation_outcomes(db: Any, operation_id: uuid.UUID) -> list[str]:
    """The final states the publisher reported for the operation (its outbox), in order."""
    return db.scalars(
        "SELECT payload->'data'->>'state' FROM publisher.outbox WHERE subject = :s"
        " AND payload->'data'->>'operation_id' = :o AND payload->'data'->>'state' <> 'running'"
        " ORDER BY created_at", s=PublisherOperationUpdated.subject(), o=str(operation_id))


def test_the_same_command_twice_and_a_double_click_make_one_post(
        gw: Gateway, crew: Team, connected: dict[str, Any], site_wp: LocalWordPress,
        fake_writer: FakeWriter, nats_url: str, db: Any) -> None:
    content = article(crew.owner.account_id, crew.granted_site["id"], fake_writer.media)
    fake_writer.contents[content.content_id] = content
    command = PublishContent(operation_id=uuid.uuid4(), account_id=uuid.UUID(crew.owner.account_id),
                             integration_id=uuid.UUID(connected["id"]),
                             content_ids=[content.content_id], status="publish")
    envelope, second_copy = _send_twice(nats_url, command, crew.owner.account_id)
    first, second = (publish(gw, crew.editor, connected["id"], [content.content_id])
                     for _ in range(2))
    for operation_id in (first, second):
        assert finished(gw, crew.editor, operation_id)["state"] == "succeeded"
    # Both raw copies were delivered to the publisher and acknowledged (after its unit of work
    # committed): every delivery was processed before anything is counted.
    gw.wait_for(lambda: consumed_through(nats_url, "COMMANDS", PUBLISH_CONSUMER, second_copy), 60)
    # The inbox recorded the command once, and the second copy did no work: the command's
    # operation was reported finished once (handling it again would report it again, even
    # though the publishing record alone would keep WordPress at one post).
    assert db.scalar("SELECT count(*) FROM publisher.inbox WHERE message_id = :id"
                     " AND consumer = :c", id=envelope.id, c=PUBLISH_CONSUMER) == 1
    assert operation_outcomes(db, command.operation_id) == ["succeeded"]
    assert len(marked_posts(site_wp, content.content_id)) == 1
    [record] = records(gw, crew.owner, content_id=str(content.content_id))
    assert record["status"] == "published"


def test_killed_right_after_wordpress_created_the_post_the_restart_updates_that_post(
        gw: Gateway, crew: Team, connected: dict[str, Any], site_wp: LocalWordPress,
        fake_writer: FakeWriter, publisher: ServiceProcess, db: Any) -> None:
    content = article(crew.owner.account_id, crew.granted_site["id"], fake_writer.media)
    fake_writer.contents[content.content_id] = content
    with reconfigured(publisher, IGNY8_FAILPOINTS="publisher.after_post_created") as crashing:
        operation_id = publish(gw, crew.editor, connected["id"], [content.content_id])
        gw.wait_for(lambda: not crashing.is_running, 60)
        assert crashing.returncode == -9
        assert len(marked_posts(site_wp, content.content_id)) == 1  # WordPress has it ...
        assert db.scalar(  # ... the record does not (and no publisher runs to ask)
            "SELECT count(*) FROM publisher.publishing_records WHERE content_id = :c"
            " AND external_id IS NULL", c=str(content.content_id)) == 1
        crashing.start().wait_ready(60)  # same failpoint: only a second create would hit it
        operation = finished(gw, crew.editor, operation_id, timeout=120)
    assert operation["state"] == "succeeded", operation
    [post] = marked_posts(site_wp, content.content_id)
    assert operation["result"]["articles"][0]["external_id"] == str(post["id"])
    [record] = records(gw, crew.owner, content_id=str(content.content_id))
    assert record["external_id"] == str(post["id"]) and record["status"] == "published"


def test_editors_publish_viewers_and_other_accounts_cannot(
        gw: Gateway, crew: Team, connected: dict[str, Any], fake_writer: FakeWriter) -> None:
    outsider = gw.register("outsider")
    content = article(crew.owner.account_id, crew.granted_site["id"], fake_writer.media, in_article=0)
    fake_writer.contents[content.content_id] = content
    body = {"integration_id": connected["id"], "content_ids": [str(content.content_id)]}
    gw.fail(gw.call("POST", "/api/v1/publisher/publish/", crew.viewer, json=body), 403)
    gw.fail(gw.call("POST", "/api/v1/publisher/publish/", outsider, json=body), 404)
    gw.fail(gw.call("GET", f"{INTEGRATIONS}{connected['id']}/", outsider), 404)
    gw.fail(gw.call("POST", f"{INTEGRATIONS}{connected['id']}/test-connection/", outsider), 404)
    gw.fail(gw.call("PATCH", f"{INTEGRATIONS}{connected['id']}/", outsider,
                    json={"username": "x"}), 404)
    gw.fail(gw.call("DELETE", f"{INTEGRATIONS}{connected['id']}/", outsider), 404)
    assert gw.listing(gw.call("GET", INTEGRATIONS, outsider))["count"] == 0
    assert records(gw, outsider) == []
    # The outsider's own integration cannot publish the crew's content: 404, nothing queued.
    own_site = gw.create_site(outsider, "Outsider site")
    theirs = connect(gw, outsider, own_site["id"], "https://wp.outsider.example", "u", "p w")
    foreign = gw.fail(gw.call("POST", "/api/v1/publisher/publish/", outsider, json={
        "integration_id": theirs["id"], "content_ids": [str(content.content_id)]}), 404)
    assert str(content.content_id) in foreign["errors"]["content_ids"][0]
    # Content of the other site cannot go to this site's WordPress; the editor does not see it.
    elsewhere = fake_writer.add(article(crew.owner.account_id, crew.other_site["id"],
                                        fake_writer.media, in_article=0))
    mixed = {**body, "content_ids": [str(content.content_id), str(elsewhere.content_id)]}
    wrong_site = gw.fail(gw.call("POST", "/api/v1/publisher/publish/", crew.owner, json=mixed), 400)
    assert "integration's site" in wrong_site["errors"]["content_ids"][0]
    gw.fail(gw.call("POST", "/api/v1/publisher/publish/", crew.editor, json=mixed), 404)


def test_who_may_manage_integrations(gw: Gateway, crew: Team, connected: dict[str, Any],
                                     site_wp: LocalWordPress) -> None:
    body = {"site_id": crew.other_site["id"], "url": site_wp.base_url, "username": "admin",
            "app_password": "x"}
    # A viewer may change nothing: refused before the site is looked at (permission first).
    gw.fail(gw.call("POST", INTEGRATIONS, crew.viewer, json=body), 403)
    gw.fail(gw.call("POST", INTEGRATIONS, crew.editor, json=body), 404)  # site not granted
    granted = {**body, "site_id": crew.granted_site["id"]}
    gw.fail(gw.call("POST", INTEGRATIONS, crew.editor, json=granted), 403)
    gw.fail(gw.call("PATCH", f"{INTEGRATIONS}{connected['id']}/", crew.editor,
                    json={"auto_publish": True}), 403)
    gw.fail(gw.call("DELETE", f"{INTEGRATIONS}{connected['id']}/", crew.viewer), 403)
    gw.fail(gw.call("POST", f"{INTEGRATIONS}{connected['id']}/update-structure/", crew.viewer), 403)
    listed = gw.listing(gw.call("GET", INTEGRATIONS, crew.viewer))
    assert [i["id"] for i in listed["results"]] == [connected["id"]]
    # One integration per site.
    duplicate = gw.fail(gw.call("POST", INTEGRATIONS, crew.admin, json=granted), 409)
    assert "site_id" in duplicate["errors"]


def test_approved_content_is_published_when_the_site_says_so(
        gw: Gateway, crew: Team, connected: dict[str, Any], site_wp: LocalWordPress,
        fake_writer: FakeWriter, nats_url: str, db: Any) -> None:
    automatic = fake_writer.add(article(crew.owner.account_id, crew.granted_site["id"],
                                        fake_writer.media, in_article=1))
    manual = fake_writer.add(article(crew.owner.account_id, crew.granted_site["id"],
                                     fake_writer.media, in_article=0))
    writer_events = FakeService(nats_url, "writer")

    def approve(content: PublishableContent) -> Envelope:
        return writer_events.publish(ContentApproved(
            account_id=content.account_id, site_id=content.site_id, sector_id=content.sector_id,
            task_id=content.task_id, content_id=content.content_id), content.account_id)

    approved = approve(manual)  # auto-publish is off: nothing happens
    # Wait until the publisher has handled it (its inbox row), so turning auto-publish on below
    # cannot race the handling of this approval.
    gw.wait_for(lambda: db.scalar(
        "SELECT count(*) FROM publisher.inbox WHERE message_id = :id AND consumer = :c",
        id=approved.id, c="publisher--publish-approved-content"), 30)
    gw.ok(gw.call("PATCH", f"{INTEGRATIONS}{connected['id']}/", crew.admin,
                  json={"auto_publish": True, "publish_status": "draft"}))
    try:
        approve(automatic)
        [record] = gw.wait_for(lambda: [r for r in records(gw, crew.owner, content_id=str(
            automatic.content_id)) if r["status"] == "published"], 60)
    finally:
        gw.ok(gw.call("PATCH", f"{INTEGRATIONS}{connected['id']}/", crew.admin,
                      json={"auto_publish": False}))
    [post] = marked_posts(site_wp, automatic.content_id)
    assert record["external_id"] == str(post["id"]) and post["status"] == "draft"
    assert records(gw, crew.owner, content_id=str(manual.content_id)) == []
    assert marked_posts(site_wp, manual.content_id) == []


def test_without_the_bridge_plugin_everything_but_the_seo_meta_is_published(
        gw: Gateway, fresh_wordpress: LocalWordPress, fake_writer: FakeWriter) -> None:
    owner = gw.register("core-only")
    site = gw.create_site(owner, "Core-only site")
    integration = connect(gw, owner, site["id"], fresh_wordpress.base_url,
                          fresh_wordpress.admin_user, fresh_wordpress.app_password)
    tested = gw.ok(gw.call("POST", f"{INTEGRATIONS}{integration['id']}/test-connection/", owner))
    assert tested["ok"] is True and tested["plugin_detected"] is False
    content = fake_writer.add(article(owner.account_id, site["id"], fake_writer.media))
    operation = finished(gw, owner, publish(gw, owner, integration["id"], [content.content_id]))
    assert operation["state"] == "succeeded", operation
    [post] = marked_posts(fresh_wordpress, content.content_id)
    assert post["title"]["raw"] == content.title and post["featured_media"] > 0
    assert term_names(fresh_wordpress, "categories", post["categories"]) == {"Running", "Shoes"}
    assert post["content"]["raw"].count("/wp-content/uploads/igny8-") == 2
    assert not post["meta"]  # nothing registered: no SEO or _igny8_ keys sent, none refused
