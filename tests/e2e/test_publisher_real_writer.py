"""The publisher with the real writer: a task written by the writer (offline provider), its
featured and two in-article images generated (offline placeholders, real PNG files in the
media store), then published into the real WordPress through the gateway; the post is read
back through WordPress's REST API and compared with the writer's content."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from igny8_publisher.plugin_package import PLUGIN_DIR
from tests.e2e.conftest import Gateway
from tests.e2e.idea_fixtures import balance
from tests.e2e.image_fixtures import GENERATE_IMAGES, IMAGES
from tests.e2e.planner_fixtures import finished as operation_done
from tests.e2e.publisher_fixtures import connect, finished, publish, records
from tests.e2e.writer_fixtures import CONTENT, content_of, generated, make_task
from tests.wordpress.wordpress import LocalWordPress

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("publisher", "writer")]


def test_a_written_article_with_generated_images_is_published(gw: Gateway,
                                                               wordpress: LocalWordPress) -> None:
    wordpress.activate_plugin(PLUGIN_DIR)
    owner = gw.register("publish-real")
    site = gw.create_site(owner, "Real site", "real.example.com")
    sector = gw.create_sector(owner, site["id"], "Tents")
    balance(gw, owner)
    task = make_task(gw, owner, sector, title="Camping tents guide", keywords=["camping tents"])
    assert generated(gw, owner, [task["id"]])["state"] == "succeeded"
    drawn = gw.ok(gw.call("POST", GENERATE_IMAGES, owner,
                          json={"task_ids": [task["id"]], "in_article_count": 2}), 202)
    assert operation_done(gw, owner, drawn["operation_id"], timeout=90)["state"] == "succeeded"
    [content] = content_of(gw, owner, task_id=task["id"])
    content = gw.ok(gw.call("GET", f"{CONTENT}{content['id']}/", owner))
    images = gw.listing(gw.call("GET", IMAGES, owner, params={"content_id": content["id"]}))["results"]
    assert sorted(i["role"] for i in images) == ["featured", "in_article", "in_article"]

    integration = connect(gw, owner, site["id"], wordpress.base_url, wordpress.admin_user,
                          wordpress.app_password)
    operation = finished(gw, owner, publish(gw, owner, integration["id"],
                                            [uuid.UUID(content["id"])]))
    assert operation["state"] == "succeeded", operation
    post_id = operation["result"]["articles"][0]["external_id"]

    with wordpress.rest() as client:
        post = client.get(f"/wp/v2/posts/{post_id}", params={"context": "edit"}).json()
        featured = client.get(f"/wp/v2/media/{post['featured_media']}").json()
        categories = {client.get(f"/wp/v2/categories/{c}").json()["name"] for c in post["categories"]}
        tags = {client.get(f"/wp/v2/tags/{t}").json()["name"] for t in post["tags"]}
    assert post["title"]["raw"] == content["title"]
    assert post["excerpt"]["raw"] == content["excerpt"]
    assert categories == set(content["categories"]) and tags == set(content["tags"])
    by_role = {i["role"]: i for i in images}
    assert featured["slug"] == f"igny8-{by_role['featured']['id']}"
    html = post["content"]["raw"]
    for image in (i for i in images if i["role"] == "in_article"):
        assert image["src"] not in html
        assert f"/wp-content/uploads/igny8-{image['id']}.png" in html
    assert post["meta"]["_yoast_wpseo_title"] == content["meta_title"]
    assert post["meta"]["rank_math_description"] == content["meta_description"]
    assert post["meta"]["_igny8_content_id"] == content["id"]
    [record] = records(gw, owner, content_id=content["id"])
    assert record["external_id"] == post_id and record["content_version"] >= 2

    def writer_says_published() -> Any:
        data = gw.ok(gw.call("GET", f"{CONTENT}{content['id']}/", owner))
        return data if data["status"] == "published" else None
    assert gw.wait_for(writer_says_published, 30)["external_id"] == post_id
