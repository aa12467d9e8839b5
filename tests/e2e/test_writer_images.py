"""Writer images through the gateway: generating them (offline, and through the real openai
client against the fake server), where they land in the article, the files, regenerating one,
what the publisher gets, credits, tenancy, roles and bad input."""

from __future__ import annotations

import hashlib
import io
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from PIL import Image

from igny8_ai.fake_server import FakeOpenAI
from igny8_ai.fake_state import Fault, FaultKind
from igny8_contracts.writer_images import image_src
from igny8_gateway.domain.image_links import KEY_PURPOSE, ImageLinkSigner
from igny8_runtime.secrets import SecretBox, SecretsSettings
from tests.e2e.idea_fixtures import balance
from tests.e2e.image_fixtures import (
    BROKEN_MARK,
    GENERATE_IMAGES,
    HEADINGS,
    IMAGES,
    article_html,
    content_row,
    image_prompts_responder,
    images_of,
    publishable,
    seed_article,
    version_sources,
)
from tests.e2e.planner_fixtures import finished

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("writer")]

KEY = "sk-images-account-4b7d"
FIELDS = {"id", "task_id", "content_id", "site_id", "sector_id", "role", "position", "prompt",
          "alt_text", "caption", "heading_index", "storage_key", "mime_type", "src",
          "size_bytes", "checksum", "provider", "model", "offline", "created_at", "updated_at",
          "file_url"}


def generated(gw: Any, member: Any, task_ids: list[str], timeout: float = 60, **body: Any) -> Any:
    accepted = gw.ok(gw.call("POST", GENERATE_IMAGES, member,
                             json={"task_ids": task_ids, **body}), 202)
    return finished(gw, member, accepted["operation_id"], timeout=timeout)


def without_link(image: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in image.items() if k != "file_url"}


def png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI.running(api_key=KEY) as server:
        server.responder = image_prompts_responder
        yield server


def test_offline_images_land_in_the_article_and_are_served(gw, db, team, nats_url) -> None:
    owner, sector = team.owner, team.granted_sector
    seeded = seed_article(db, owner, sector)
    before = balance(gw, owner)["total_credits"]

    operation = generated(gw, team.editor, [seeded["task_id"]], in_article_count=2)
    assert operation["state"] == "succeeded", operation
    result = operation["result"]
    assert (result["succeeded"], result["images_created"], result["offline"]) == (1, 3, True)
    assert "offline placeholders" in operation["message"]

    found = images_of(gw, team.viewer, task_id=seeded["task_id"], ordering="position")
    assert [(i["role"], i["position"]) for i in found] == [
        ("featured", 0), ("in_article", 1), ("in_article", 2)]
    assert set(found[0]) == FIELDS
    assert all(i["offline"] and i["alt_text"] and i["caption"] for i in found)
    assert [i["heading_index"] for i in found] == [None, 0, 1]
    assert found[1]["caption"] == HEADINGS[0]
    assert all(i["src"] == image_src(uuid.UUID(i["id"])) for i in found)
    assert found[0]["storage_key"] == f"{owner.account_id}/{found[0]['id']}.png"

    row = content_row(db, seeded["content_id"])
    assert row.version == 2 and version_sources(db, seeded["content_id"]) == [
        (1, "generated"), (2, "edited")]
    html = row.html
    assert found[0]["src"] not in html  # the featured image is the post's, not the body's
    assert html.index(f"{HEADINGS[0]}</h2>") < html.index(found[1]["src"]) < html.index(
        f"{HEADINGS[1]}</h2>")
    assert html.index(f"{HEADINGS[1]}</h2>") < html.index(found[2]["src"]) < html.index(
        f"{HEADINGS[2]}</h2>")
    assert f'alt="{found[1]["alt_text"]}"' in html and "<figcaption>" in html

    response = gw.call("GET", f"{IMAGES}{found[1]['id']}/file", team.viewer)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert hashlib.sha256(response.content).hexdigest() == found[1]["checksum"]
    assert png(response.content).size[0] > 100
    cached = gw.call("GET", f"{IMAGES}{found[1]['id']}/file", team.viewer,
                     headers={"If-None-Match": response.headers["etag"]})
    assert cached.status_code == 304
    detail = gw.ok(gw.call("GET", f"{IMAGES}{found[1]['id']}/", team.viewer))
    assert without_link(detail) == without_link(found[1])

    answer = publishable(nats_url, owner.account_id, seeded["content_id"])
    assert answer.ok, answer
    shipped = answer.data["images"]
    assert [(i["image_id"], i["role"], i["src"]) for i in shipped] == [
        (i["id"], i["role"], i["src"]) for i in found]
    assert all(i["src"] in answer.data["html"] for i in shipped if i["role"] == "in_article")

    # An edit that drops an image's figure: the publisher no longer gets that image.
    edited = answer.data["html"].replace(
        answer.data["html"][answer.data["html"].index("<figure>"):
                            answer.data["html"].index("</figure>") + len("</figure>")], "")
    gw.ok(gw.call("PATCH", f"/api/v1/writer/content/{seeded['content_id']}/", owner,
                  json={"html": edited}))
    shipped = publishable(nats_url, owner.account_id, seeded["content_id"]).data["images"]
    assert [i["image_id"] for i in shipped] == [found[0]["id"], found[2]["id"]]

    # Billing captured 3 image prompts (1 credit per started pair: 2) and 3 images (3).
    gw.wait_for(lambda: balance(gw, owner)["total_credits"] == before - 5, timeout=20)


def test_generating_again_replaces_the_images_and_regenerate_keeps_the_row(gw, db,
                                                                           team) -> None:
    owner = team.owner
    seeded = seed_article(db, owner, team.granted_sector, title="Hiking boots")
    balance(gw, owner)
    assert generated(gw, owner, [seeded["task_id"]], in_article_count=1)["state"] == "succeeded"
    first = images_of(gw, owner, task_id=seeded["task_id"])
    assert generated(gw, owner, [seeded["task_id"]], in_article_count=2)["state"] == "succeeded"
    second = images_of(gw, owner, content_id=seeded["content_id"], ordering="position")
    assert len(second) == 3 and not {i["id"] for i in first} & {i["id"] for i in second}
    html = content_row(db, seeded["content_id"]).html
    assert html.count("<figure>") == 2 and all(i["src"] not in html for i in first)
    gw.fail(gw.call("GET", f"{IMAGES}{first[0]['id']}/", owner), 404)

    target = second[1]
    old_bytes = gw.call("GET", f"{IMAGES}{target['id']}/file", owner).content
    # What generating (1 featured + 2: 3 prompts priced per pair, 3 images) and regenerating
    # (one image) would cost, asked before starting; nothing is held.
    available = balance(gw, owner)["available_credits"]
    assert gw.ok(gw.call("POST", "/api/v1/writer/tasks/generate_images/estimate/", owner, json={
        "task_ids": [seeded["task_id"]], "in_article_count": 2})) == {
        "credits": 5, "available_credits": available, "enough": True}
    assert gw.ok(gw.call("POST", f"{IMAGES}{target['id']}/regenerate/estimate/", owner)) == {
        "credits": 1, "available_credits": available, "enough": True}
    assert balance(gw, owner)["held_credits"] == 0
    accepted = gw.ok(gw.call("POST", f"{IMAGES}{target['id']}/regenerate/", team.editor,
                             json={"prompt": "A lantern glowing inside a tent at night"}), 202)
    operation = finished(gw, owner, accepted["operation_id"])
    assert operation["state"] == "succeeded", operation
    after = gw.ok(gw.call("GET", f"{IMAGES}{target['id']}/", owner))
    assert after["prompt"] == "A lantern glowing inside a tent at night"
    assert after["src"] == target["src"] and after["checksum"] != target["checksum"]
    new_bytes = gw.call("GET", f"{IMAGES}{target['id']}/file", owner).content
    assert new_bytes != old_bytes and hashlib.sha256(new_bytes).hexdigest() == after["checksum"]
    # The operation's result names the image and the checksum of the bytes it stored.
    assert operation["result"]["image_id"] == target["id"]
    assert operation["result"]["checksum"] == after["checksum"]
    assert operation["result"]["offline"] is True
    assert content_row(db, seeded["content_id"]).html == html  # same src, same article


def test_images_through_the_accounts_openai_provider_and_a_failing_task(gw, db, team,
                                                                        fake) -> None:
    owner = team.owner
    gw.ok(gw.call("PUT", "/api/v1/system/settings/ai/", owner, json={
        "kind": "openai_compatible", "base_url": fake.base_url, "model": "fake-chat",
        "image_model": "dall-e-3", "api_key": KEY}))
    good = seed_article(db, owner, team.granted_sector, title="Sleeping bags")
    broken = seed_article(db, owner, team.granted_sector, title="Stoves",
                          html=article_html("Stoves", extra=BROKEN_MARK))
    before = balance(gw, owner)["total_credits"]
    images_before = len(fake.state.records("/images/generations"))

    operation = generated(gw, owner, [good["task_id"], broken["task_id"]], in_article_count=2)
    assert operation["state"] == "succeeded", operation
    result = operation["result"]
    assert result["succeeded"] == 1 and result["offline"] is False
    assert result["failed"] == [{"task_id": broken["task_id"], "error": result["failed"][0]["error"]}]
    assert "extracting image prompts failed" in result["failed"][0]["error"]
    assert "not valid JSON" in result["failed"][0]["error"]

    made = images_of(gw, owner, task_id=good["task_id"], ordering="position")
    assert len(made) == 3 and not any(i["offline"] for i in made)
    assert made[0]["prompt"] == "A photograph about Sleeping bags, wide shot"
    assert made[1]["alt_text"] == f"Photo showing {HEADINGS[0].lower()}"
    assert {i["model"] for i in made} == {"dall-e-3"}
    assert images_of(gw, owner, task_id=broken["task_id"]) == []
    assert len(fake.state.records("/images/generations")) - images_before == 3
    assert all(r.status == 200 for r in fake.state.records("/images/generations"))
    assert content_row(db, broken["content_id"]).version == 1  # untouched
    # Only the good task is charged: 2 credits for its 3 prompts, 3 for its images.
    gw.wait_for(lambda: balance(gw, owner)["total_credits"] == before - 5, timeout=20)


def test_an_image_provider_that_keeps_failing_fails_the_task_and_charges_nothing(gw, db,
                                                                                 team) -> None:
    owner = team.owner
    with FakeOpenAI.running(api_key=KEY) as failing:
        def prompts_then_broken_images(body: Any) -> str:
            # Every image request after this answer gets a 500 (more than the retry budget).
            failing.inject(*[Fault(FaultKind.SERVER_ERROR)] * 10)
            return image_prompts_responder(body)

        failing.responder = prompts_then_broken_images
        gw.ok(gw.call("PUT", "/api/v1/system/settings/ai/", owner, json={
            "kind": "openai_compatible", "base_url": failing.base_url, "model": "fake-chat",
            "api_key": KEY}))
        seeded = seed_article(db, owner, team.granted_sector, title="Lanterns")
        before = balance(gw, owner)["total_credits"]
        operation = generated(gw, owner, [seeded["task_id"]], in_article_count=0)
        image_calls = [r.status for r in failing.state.records("/images/generations")]
    assert operation["state"] == "failed", operation
    assert "all 1 images failed to generate" in operation["error"]
    assert operation["result"] is None or operation["result"]["succeeded"] == 0
    # A failed operation carries its error, not a result; its message is the batch's summary.
    assert operation["result"] is None
    assert operation["message"] == "0 images generated for 0 of 1 articles. 1 failed."
    assert image_calls and set(image_calls) == {500}
    assert images_of(gw, owner, task_id=seeded["task_id"]) == []
    assert content_row(db, seeded["content_id"]).version == 1
    # Settlement is asynchronous: billing has settled both holds (prompts and images) once
    # nothing is held any more; only then is the balance final.
    settled = gw.wait_for(lambda: (lambda b: b if b["held_credits"] == 0 else None)(
        balance(gw, owner)), timeout=30)
    assert settled["total_credits"] == before


def test_signed_file_urls_open_their_image_without_a_token(gw, db, team,
                                                          secrets_keys) -> None:
    owner = team.owner
    seeded = seed_article(db, owner, team.granted_sector, title="Signed links")
    balance(gw, owner)
    assert generated(gw, owner, [seeded["task_id"]], in_article_count=1)["state"] == "succeeded"
    featured, inline = images_of(gw, team.viewer, task_id=seeded["task_id"], ordering="position")
    # The article's HTML keeps the plain src (the publisher rewrites it); the views add a link.
    assert inline["src"] in content_row(db, seeded["content_id"]).html
    assert "signature=" not in content_row(db, seeded["content_id"]).html

    detail = gw.ok(gw.call("GET", f"{IMAGES}{inline['id']}/", team.viewer))
    url = urlsplit(detail["file_url"])
    assert url.path == inline["src"]
    params = dict(parse_qsl(url.query))
    assert set(params) == {"account_id", "expires", "signature"}
    assert params["account_id"] == owner.account_id
    assert 3600 <= int(params["expires"]) - time.time() <= 3600 + 300 + 5
    for link in (detail["file_url"], inline["file_url"], featured["file_url"]):
        response = gw.call("GET", link)  # no Authorization header, as an <img src> asks
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/png"
    assert hashlib.sha256(gw.call("GET", detail["file_url"]).content).hexdigest() == \
        inline["checksum"]

    def refused(path: str, **changed: str) -> str:
        error: str = gw.fail(gw.call("GET", path, params={**params, **changed}), 403)["error"]
        return error

    # Another image's signature, a changed signature, expiry or account: 403.
    featured_params = dict(parse_qsl(urlsplit(featured["file_url"]).query))
    assert "not valid for this image" in refused(inline["src"], **featured_params)
    assert "not valid" in refused(featured["src"])
    flipped = ("0" if params["signature"][0] != "0" else "1") + params["signature"][1:]
    assert "not valid" in refused(inline["src"], signature=flipped)
    assert "not valid" in refused(inline["src"], expires=str(int(params["expires"]) + 300))
    assert "not valid" in refused(inline["src"], account_id=str(uuid.uuid4()))
    incomplete = gw.fail(gw.call("GET", inline["src"], params={"expires": params["expires"]}),
                         403)
    assert "incomplete" in incomplete["error"]
    # A link signed with the gateway's own key (the session's secrets keys), already expired.
    expired_signer = ImageLinkSigner(SecretBox.from_settings(SecretsSettings(
        secrets_keys=secrets_keys)).derive_key(KEY_PURPOSE), clock=lambda: time.time() - 7200)
    expired = expired_signer.sign(uuid.UUID(owner.account_id), uuid.UUID(inline["id"]), 3600)
    assert "expired" in refused(inline["src"], **expired)
    # Without a link the header is still needed (and still works).
    gw.fail(gw.call("GET", inline["src"]), 401)
    assert gw.call("GET", inline["src"], team.viewer).status_code == 200
    # Images generated again replace these: their links open nothing any more.
    assert generated(gw, owner, [seeded["task_id"]], in_article_count=0)["state"] == "succeeded"
    gw.fail(gw.call("GET", detail["file_url"]), 404)


def test_another_account_and_ungranted_sites_see_404(gw, db, team) -> None:
    mine = seed_article(db, team.owner, team.granted_sector, title="Granted")
    hidden = seed_article(db, team.owner, team.other_sector, title="Hidden")
    balance(gw, team.owner)
    for seeded in (mine, hidden):
        assert generated(gw, team.owner, [seeded["task_id"]],
                         in_article_count=0)["state"] == "succeeded"
    image = images_of(gw, team.owner, task_id=mine["task_id"])[0]
    hidden_image = images_of(gw, team.owner, task_id=hidden["task_id"])[0]
    stranger = gw.register("stranger")
    balance(gw, stranger)
    for path in (f"{IMAGES}{image['id']}/", f"{IMAGES}{image['id']}/file"):
        gw.fail(gw.call("GET", path, stranger), 404)
    gw.fail(gw.call("POST", f"{IMAGES}{image['id']}/regenerate/", stranger), 404)
    gw.fail(gw.call("POST", GENERATE_IMAGES, stranger, json={"task_ids": [mine["task_id"]]}), 404)
    assert images_of(gw, stranger) == []
    # The editor was granted only the first site.
    gw.fail(gw.call("GET", f"{IMAGES}{hidden_image['id']}/file", team.editor), 404)
    assert {i["task_id"] for i in images_of(gw, team.editor)} == {mine["task_id"]}
    gw.fail(gw.call("POST", GENERATE_IMAGES, team.editor,
                    json={"task_ids": [hidden["task_id"]]}), 404)


def test_viewers_read_but_cannot_generate_or_regenerate(gw, db, team) -> None:
    seeded = seed_article(db, team.owner, team.granted_sector, title="Viewer")
    balance(gw, team.owner)
    assert generated(gw, team.owner, [seeded["task_id"]],
                     in_article_count=0)["state"] == "succeeded"
    image = images_of(gw, team.viewer, task_id=seeded["task_id"])[0]
    assert gw.call("GET", f"{IMAGES}{image['id']}/file", team.viewer).status_code == 200
    gw.fail(gw.call("POST", GENERATE_IMAGES, team.viewer,
                    json={"task_ids": [seeded["task_id"]]}), 403)
    gw.fail(gw.call("POST", f"{IMAGES}{image['id']}/regenerate/", team.viewer), 403)


def test_bad_input_gets_field_errors_and_reserves_nothing(gw, db, team) -> None:
    owner = team.owner
    before = balance(gw, owner)
    no_article = seed_article(db, owner, team.granted_sector, with_content=False)
    unknown = str(uuid.uuid4())
    error = gw.fail(gw.call("POST", GENERATE_IMAGES, owner, json={"task_ids": [unknown]}), 404)
    assert unknown in error["errors"]["task_ids"][0]
    error = gw.fail(gw.call("POST", GENERATE_IMAGES, owner,
                            json={"task_ids": [no_article["task_id"]]}), 400)
    assert "no article" in error["errors"]["task_ids"][0]
    assert "generate their content first" in error["error"]
    for body, field in (({"task_ids": []}, "task_ids"), ({"task_ids": ["nope"]}, "task_ids"),
                        ({"task_ids": [no_article["task_id"]], "in_article_count": 11},
                         "in_article_count"),
                        ({"task_ids": [no_article["task_id"]], "extra": 1}, "extra")):
        error = gw.fail(gw.call("POST", GENERATE_IMAGES, owner, json=body), 400)
        assert any(field in key for key in error["errors"]), error
    gw.fail(gw.call("GET", f"{IMAGES}{uuid.uuid4()}/file", owner), 404)
    gw.fail(gw.call("GET", f"{IMAGES}not-a-uuid/", owner), 400)
    gw.fail(gw.call("GET", IMAGES, owner, params={"role": "banner"}), 400)
    assert balance(gw, owner)["total_credits"] == before["total_credits"]
