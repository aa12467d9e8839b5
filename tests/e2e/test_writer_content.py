"""Generated content through the gateway: list and detail, edits sanitised and kept as versions
(history, diff, restore), the review workflow (ContentApproved) and the publisher's reports
(published, WordPress status changes), what the publisher reads (GetPublishableContent over
NATS); author profiles; tenancy and roles."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import nats
import pytest

from igny8_contracts import Envelope
from igny8_contracts.publisher import ContentPublished
from igny8_contracts.publisher_sync import ExternalPostStatusChanged
from igny8_contracts.writer import GetPublishableContent
from tests.e2e.writer_fixtures import (
    CONTENT,
    PROFILES,
    content_of,
    generated,
    make_task,
    publish_event,
    tasks_of,
    writer_rows,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("writer")]

HOSTILE_EDIT = ('<h2 onmouseover="x()">Edited</h2><p>New <a href="javascript:steal()">link</a>'
                '<script>document.cookie</script> and <a href="https://ok.example/">ok</a>.</p>'
                '<iframe src="https://evil.example/"></iframe>')


def _article(gw: Any, team: Any) -> dict[str, Any]:
    task = make_task(gw, team.owner, team.granted_sector, keywords=["trail shoes"])
    operation = generated(gw, team.owner, [task["id"]])
    assert operation["state"] == "succeeded", operation
    [article] = content_of(gw, team.owner, task_id=task["id"])
    return dict(article)


def _outbox(db: Any, subject: str, content_id: str) -> list[Any]:
    rows = writer_rows(db, "SELECT payload FROM writer.outbox WHERE subject = :s "
                                 "ORDER BY payload->>'time'", s=subject)
    return [r["payload"]["data"] for r in rows if r["payload"]["data"]["content_id"] == content_id]


def test_edits_are_sanitised_versions_with_diff_and_restore(gw, db, team) -> None:
    article = _article(gw, team)
    url = f"{CONTENT}{article['id']}/"
    assert {"id", "title", "html", "status"} <= set(article)
    assert (article["status"], article["version"]) == ("draft", 1)
    assert gw.ok(gw.call("GET", url, team.viewer))["html"] == article["html"]
    assert [c["id"] for c in content_of(gw, team.viewer, sector_id=team.granted_sector["id"],
                                        status="draft")] == [article["id"]]
    assert content_of(gw, team.owner, status="approved") == []

    edited = gw.ok(gw.call("PATCH", url, team.editor, json={"html": HOSTILE_EDIT}))
    assert edited["version"] == 2 and edited["title"] == article["title"]
    stored = writer_rows(db, "SELECT html FROM writer.content WHERE id = :i",
                         i=uuid.UUID(article["id"]))[0]["html"]
    for banned in ("<script", "onmouseover", "javascript:", "<iframe", "cookie", "evil.example"):
        assert banned not in stored.lower(), (banned, stored)
    assert stored == edited["html"]
    assert '<a href="https://ok.example/" rel="noopener noreferrer">ok</a>' in stored
    assert stored.startswith("<h2>Edited</h2>")
    retitled = gw.ok(gw.call("PATCH", url, team.editor, json={"title": "Trail shoes, revised"}))
    assert (retitled["version"], retitled["html"]) == (3, edited["html"])
    same = gw.ok(gw.call("PATCH", url, team.editor, json={"title": "Trail shoes, revised"}))
    assert same["version"] == 3  # nothing changed: no new version
    gw.fail(gw.call("PATCH", url, team.editor, json={"html": "<script>x()</script>"}), 400)
    gw.fail(gw.call("PATCH", url, team.editor, json={}), 400)

    history = gw.ok(gw.call("GET", f"{url}versions/", team.viewer))
    assert history["current_version"] == 3
    assert [(v["version"], v["source"]) for v in history["versions"]] == [
        (1, "generated"), (2, "edited"), (3, "edited")]
    assert history["versions"][0]["html"] == article["html"]
    assert history["versions"][1]["created_by"] == team.editor.id

    diff = gw.ok(gw.call("GET", f"{url}diff/", team.viewer, params={"from": 1, "to": 3}))
    assert diff["title_changed"] is True
    lines = diff["diff"].splitlines()
    assert lines[:2] == ["--- version 1", "+++ version 3"]
    assert f"-title: {article['title']}" in lines and "+title: Trail shoes, revised" in lines
    assert "+<h2>Edited</h2>" in lines
    assert any(line.startswith("-<p>") for line in lines)
    gw.fail(gw.call("GET", f"{url}diff/", team.owner, params={"from": 1, "to": 9}), 404)
    gw.fail(gw.call("GET", f"{url}diff/", team.owner, params={"from": 0, "to": 1}), 400)

    restored = gw.ok(gw.call("POST", f"{url}restore/", team.editor, json={"version": 1}))
    assert (restored["version"], restored["title"], restored["html"]) == (
        4, article["title"], article["html"])
    history = gw.ok(gw.call("GET", f"{url}versions/", team.owner))
    assert len(history["versions"]) == 4
    assert (history["versions"][-1]["source"], history["versions"][-1]["restored_from"]) == (
        "restored", 1)
    assert gw.ok(gw.call("GET", f"{url}diff/", team.owner,
                         params={"from": 1, "to": 4}))["diff"] == ""
    gw.fail(gw.call("POST", f"{url}restore/", team.editor, json={"version": 7}), 404)


def test_review_workflow_and_the_publishers_reports(gw, db, team, nats_url) -> None:
    article = _article(gw, team)
    url = f"{CONTENT}{article['id']}/"
    status = f"{url}status/"
    refused = gw.fail(gw.call("POST", f"{url}approve/", team.editor), 409)
    assert "draft" in refused["error"]
    gw.fail(gw.call("POST", status, team.editor, json={"status": "published"}), 400)
    assert gw.ok(gw.call("POST", status, team.editor, json={"status": "review"}))[
        "status"] == "review"
    assert gw.ok(gw.call("POST", f"{url}approve/", team.owner))["status"] == "approved"
    approved = gw.wait_for(lambda: _outbox(db, "evt.writer.content.approved.v1",
                                           article["id"]), timeout=10)
    assert approved == [{"account_id": team.owner.account_id,
                         "site_id": article["site_id"], "sector_id": article["sector_id"],
                         "task_id": article["task_id"], "content_id": article["id"]}]
    changes = _outbox(db, "evt.writer.content.status_changed.v1", article["id"])
    assert [(c["previous"], c["status"]) for c in changes] == [("draft", "review"),
                                                              ("review", "approved")]

    account = uuid.UUID(team.owner.account_id)
    publish_event(nats_url, ContentPublished(
        account_id=account, site_id=uuid.UUID(article["site_id"]),
        content_id=uuid.UUID(article["id"]), integration_id=uuid.uuid4(), external_id="321",
        external_url="https://blog.example/trail-shoes/", wordpress_status="publish",
        content_version=1), team.owner.account_id)
    published = gw.wait_for(lambda: (c := gw.ok(gw.call("GET", url, team.viewer)))[
        "status"] == "published" and c, timeout=20)
    assert (published["external_id"], published["external_url"]) == (
        "321", "https://blog.example/trail-shoes/")
    assert published["published_at"] is not None
    assert tasks_of(gw, team.owner, status="published")[0]["id"] == article["task_id"]

    publish_event(nats_url, ExternalPostStatusChanged(
        account_id=account, site_id=uuid.UUID(article["site_id"]),
        content_id=uuid.UUID(article["id"]), integration_id=uuid.uuid4(), external_id="321",
        wordpress_status="trash", status="archived"), team.owner.account_id)
    gw.wait_for(lambda: gw.ok(gw.call("GET", url, team.owner))["status"] == "archived",
                timeout=20)
    changes = _outbox(db, "evt.writer.content.status_changed.v1", article["id"])
    assert [(c["previous"], c["status"]) for c in changes][-2:] == [("approved", "published"),
                                                                   ("published", "archived")]
    assert gw.ok(gw.call("POST", status, team.editor, json={"status": "draft"}))[
        "status"] == "draft"
    gw.fail(gw.call("POST", status, team.viewer, json={"status": "review"}), 403)


async def _ask_publishable(nats_url: str, account_id: str, content_id: str) -> dict[str, Any]:
    query = GetPublishableContent(account_id=uuid.UUID(account_id),
                                  content_id=uuid.UUID(content_id))
    envelope = Envelope.wrap(query, source="igny8/publisher", correlation_id="e2e",
                             account_id=uuid.UUID(account_id))
    nc = await nats.connect(nats_url)
    try:
        reply = await nc.request(query.subject(), envelope.model_dump_json().encode(), timeout=10)
    finally:
        await nc.drain()
    answer: dict[str, Any] = json.loads(reply.data)
    return answer


def test_publisher_reads_publishable_content_of_its_account_only(gw, team, nats_url) -> None:
    article = _article(gw, team)
    answer = asyncio.run(_ask_publishable(nats_url, team.owner.account_id, article["id"]))
    assert answer["ok"] is True, answer
    data = answer["data"]
    assert (data["content_id"], data["title"], data["html"], data["slug"], data["version"],
            data["focus_keyword"], data["images"]) == (
        article["id"], article["title"], article["html"], article["slug"], 1, "trail shoes", [])
    assert data["keyword_ids"] == [] and data["task_id"] == article["task_id"]
    stranger = gw.register("stranger")
    foreign = asyncio.run(_ask_publishable(nats_url, stranger.account_id, article["id"]))
    assert (foreign["ok"], foreign["error"]["status"]) == (False, 404)


def test_content_of_another_account_is_404_and_viewers_only_read(gw, team) -> None:
    article = _article(gw, team)
    url = f"{CONTENT}{article['id']}/"
    stranger = gw.register("stranger")
    for method, path, body in (("GET", url, None), ("PATCH", url, {"title": "x"}),
                               ("GET", f"{url}versions/", None),
                               ("POST", f"{url}restore/", {"version": 1}),
                               ("POST", f"{url}status/", {"status": "review"})):
        gw.fail(gw.call(method, path, stranger, json=body), 404)
    gw.fail(gw.call("GET", f"{url}diff/", stranger, params={"from": 1, "to": 1}), 404)
    assert content_of(gw, stranger) == []
    gw.fail(gw.call("GET", CONTENT, stranger, params={"site_id": article["site_id"]}), 404)
    for method, path, body in (("PATCH", url, {"title": "x"}),
                               ("POST", f"{url}restore/", {"version": 1}),
                               ("POST", f"{url}approve/", None)):
        gw.fail(gw.call(method, path, team.viewer, json=body), 403)
    other_task = make_task(gw, team.owner, team.other_sector)
    assert generated(gw, team.owner, [other_task["id"]])["state"] == "succeeded"
    # the editor sees only its granted site's content
    assert [c["id"] for c in content_of(gw, team.editor)] == [article["id"]]
    assert len(content_of(gw, team.owner)) == 2


def test_author_profiles_crud_language_roles_and_tenancy(gw, team) -> None:
    made = gw.ok(gw.call("POST", PROFILES, team.editor, json={
        "name": "Ana", "description": "Runner and coach", "tone": "warm", "language": "pt-BR",
        "structure_template": {"sections": ["Intro", "FAQ"]}}), 201)
    assert {k: made[k] for k in ("name", "tone", "language", "structure_template",
                                 "is_active")} == {
        "name": "Ana", "tone": "warm", "language": "pt-BR",
        "structure_template": {"sections": ["Intro", "FAQ"]}, "is_active": True}
    url = f"{PROFILES}{made['id']}/"
    bad = gw.fail(gw.call("POST", PROFILES, team.owner, json={"name": "X",
                                                              "language": "not a tag!"}), 400)
    assert "language" in bad["errors"]
    gw.fail(gw.call("POST", PROFILES, team.owner, json={"name": ""}), 400)
    gw.fail(gw.call("POST", PROFILES, team.viewer, json={"name": "V"}), 403)
    gw.fail(gw.call("PATCH", url, team.viewer, json={"tone": "dry"}), 403)
    gw.fail(gw.call("DELETE", url, team.viewer), 403)
    assert gw.ok(gw.call("GET", url, team.viewer))["name"] == "Ana"
    changed = gw.ok(gw.call("PATCH", url, team.owner, json={"language": "en-GB",
                                                            "is_active": False}))
    assert (changed["language"], changed["is_active"], changed["tone"]) == ("en-GB", False, "warm")
    put = gw.ok(gw.call("PUT", url, team.owner, json={"tone": "crisp"}))
    assert put["tone"] == "crisp"
    second = gw.ok(gw.call("POST", PROFILES, team.owner, json={"name": "Bo"}), 201)
    assert second["language"] == "en" and second["tone"] == "professional"
    listing = gw.listing(gw.call("GET", PROFILES, team.viewer))
    assert [p["name"] for p in listing["results"]] == ["Ana", "Bo"]
    active = gw.listing(gw.call("GET", PROFILES, team.owner, params={"is_active": "true"}))
    assert [p["name"] for p in active["results"]] == ["Bo"]
    stranger = gw.register("stranger")
    gw.fail(gw.call("GET", url, stranger), 404)
    gw.fail(gw.call("PATCH", url, stranger, json={"tone": "x"}), 404)
    gw.fail(gw.call("DELETE", url, stranger), 404)
    assert gw.listing(gw.call("GET", PROFILES, stranger))["results"] == []
    gw.ok(gw.call("DELETE", url, team.admin))
    gw.fail(gw.call("GET", url, team.owner), 404)
