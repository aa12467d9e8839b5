"""Helpers for the publishing tests: a stand-in for the writer's answer to
GetPublishableContent (over real NATS request/reply, as the writer answers it) with image files
in the session's media folder, articles to publish, and waiting for publish operations.

The stand-in answers only for the content it was given: the tests control every field of the
article (images present or missing, categories, SEO fields, a new version after an edit)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
import pytest
from PIL import Image

from igny8_contracts import Envelope, QueryResult
from igny8_contracts.writer import (
    ContentView,
    GetContent,
    GetPublishableContent,
    PublishableContent,
    PublishableImage,
)
from tests.e2e.conftest import Gateway, Member
from tests.e2e.service_fixtures import paused

INTEGRATIONS = "/api/v1/integration/integrations/"
PUBLISH = "/api/v1/publisher/publish/"
RECORDS = "/api/v1/publisher/records/"


class FakeWriter:
    """Answers GetPublishableContent (the publisher) and GetContent (the gateway's check)
    from ``contents``, as the writer would (404 for another account's or an invisible site's)."""

    def __init__(self, nats_url: str) -> None:
        self.nats_url = nats_url
        self.contents: dict[uuid.UUID, PublishableContent] = {}
        self.asked: list[uuid.UUID] = []
        self.media = Path()
        self.nc: Any = None
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def add(self, content: PublishableContent) -> PublishableContent:
        self.contents[content.content_id] = content
        return content

    def start(self) -> FakeWriter:
        self.thread.start()
        assert self.ready.wait(10), "the fake writer did not subscribe"
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.nc.close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._subscribe())
        self.ready.set()
        self.loop.run_forever()

    async def _subscribe(self) -> None:
        self.nc = nc = await nats.connect(self.nats_url)

        async def publishable(msg: Any) -> None:
            query = Envelope.model_validate_json(msg.data).open(GetPublishableContent)
            self.asked.append(query.content_id)
            content = self._find(query.account_id, query.content_id, None)
            result = (QueryResult.success(content) if content
                      else QueryResult.failure(404, "Content not found."))
            await msg.respond(result.model_dump_json().encode())

        async def view(msg: Any) -> None:
            query = Envelope.model_validate_json(msg.data).open(GetContent)
            content = self._find(query.account_id, query.content_id, query.visible_site_ids)
            result = (QueryResult.success(content_view(content)) if content
                      else QueryResult.failure(404, "Content not found."))
            await msg.respond(result.model_dump_json().encode())

        await nc.subscribe(GetPublishableContent.subject(), cb=publishable)
        await nc.subscribe(GetContent.subject(), cb=view)
        await nc.flush()

    def _find(self, account_id: uuid.UUID, content_id: uuid.UUID,
              visible: list[uuid.UUID] | None) -> PublishableContent | None:
        content = self.contents.get(content_id)
        if content is None or content.account_id != account_id:
            return None
        if visible is not None and content.site_id not in visible:
            return None
        return content


def content_view(content: PublishableContent) -> ContentView:
    """What the writer's GetContent would answer for the article."""
    now = datetime.now(UTC)
    return ContentView(
        id=content.content_id, site_id=content.site_id, sector_id=content.sector_id,
        task_id=content.task_id, cluster_id=content.cluster_id, author_profile_id=None,
        title=content.title, slug=content.slug, html=content.html, excerpt=content.excerpt,
        meta_title=content.meta_title, meta_description=content.meta_description,
        focus_keyword=content.focus_keyword, categories=content.categories, tags=content.tags,
        language="en", word_count=300, status=content.status, version=content.version,
        offline=True, external_id=None, external_url=None, published_at=None, created_at=now,
        updated_at=now)


@contextlib.contextmanager
def running_fake_writer(nats_url: str, igny8_tmp_dir: Path,
                        request: pytest.FixtureRequest) -> Iterator[FakeWriter]:
    """A stand-in writer, and the session's media folder (``IGNY8_MEDIA_DIR``) as ``media``.
    The session's real writer (``writer`` fixture), if started, is stopped meanwhile: one
    answer per question, always the stand-in's."""
    writer = FakeWriter(nats_url)
    writer.media = igny8_tmp_dir / "media"
    writer.media.mkdir(exist_ok=True)
    with paused(request, "writer"):
        writer.start()
        try:
            yield writer
        finally:
            writer.stop()


def png(color: tuple[int, int, int], size: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buffer, format="PNG")
    return buffer.getvalue()


def article(account_id: str, site_id: str, media: Path, *, title: str = "Trail running shoes",
            in_article: int = 2, write_files: bool = True, version: int = 1,
            content_id: uuid.UUID | None = None, **fields: Any) -> PublishableContent:
    """An article with a featured and ``in_article`` images (files written unless told not)."""
    content_id = content_id or uuid.uuid4()
    images = []
    for position in range(in_article + 1):
        image_id = uuid.uuid4()
        key = f"{account_id}/{image_id}.png"
        if write_files:
            path = media / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png((40 * position, 120, 200 - 40 * position)))
        images.append(PublishableImage(
            image_id=image_id, role="featured" if position == 0 else "in_article",
            position=position, storage_key=key, src=f"/api/v1/writer/images/{image_id}/file",
            alt_text=f"Alt {position}", caption=f"Caption {position}", mime_type="image/png"))
    body = "".join(f'<h2>Part {i.position}</h2><p>Text.</p><img src="{i.src}" alt="{i.alt_text}">'
                   for i in images if i.role == "in_article")
    values: dict[str, Any] = {
        "content_id": content_id, "account_id": uuid.UUID(account_id),
        "site_id": uuid.UUID(site_id), "sector_id": uuid.uuid4(), "task_id": uuid.uuid4(),
        "cluster_id": uuid.uuid4(), "keyword_ids": [uuid.uuid4(), uuid.uuid4()], "title": title,
        "slug": f"trail-shoes-{content_id.hex[:8]}", "html": f"<p>Intro.</p>{body}",
        "excerpt": "The best trail shoes of the year.", "meta_title": "Trail shoes | Test",
        "meta_description": "Which trail shoes to buy.", "focus_keyword": "trail shoes",
        "categories": ["Running", "Shoes"], "tags": ["trail", "review"], "status": "approved",
        "version": version, "images": images}
    values.update(fields)
    return PublishableContent(**values)


def connect(gw: Gateway, member: Member, site_id: str, url: str, username: str,
            app_password: str, status: int = 201) -> Any:
    response = gw.call("POST", INTEGRATIONS, member, json={
        "site_id": site_id, "url": url, "username": username, "app_password": app_password})
    return gw.ok(response, status) if status < 400 else gw.fail(response, status)


def publish(gw: Gateway, member: Member, integration_id: str, content_ids: list[uuid.UUID],
            **extra: Any) -> str:
    data = gw.ok(gw.call("POST", PUBLISH, member, json={
        "integration_id": integration_id, "content_ids": [str(c) for c in content_ids],
        **extra}), 202)
    return str(data["operation_id"])


def finished(gw: Gateway, member: Member, operation_id: str, timeout: float = 90) -> Any:
    """The operation once final (succeeded or failed)."""
    def final() -> Any:
        response = gw.call("GET", f"/api/v1/operations/{operation_id}/", member)
        if response.status_code != 200:
            return None
        data = response.json()["data"]
        return data if data["is_final"] else None
    return gw.wait_for(final, timeout, interval=0.25)


def records(gw: Gateway, member: Member, **params: Any) -> list[dict[str, Any]]:
    return list(gw.listing(gw.call("GET", RECORDS, member, params=params))["results"])


def emitted(db: Any, subject: str, content_id: uuid.UUID) -> list[dict[str, Any]]:
    """The ``data`` of the events about ``content_id`` the publisher committed to its outbox
    (each is relayed to JetStream from there), oldest first."""
    rows = db.scalars("SELECT payload FROM publisher.outbox WHERE subject = :s"
                      " AND payload->'data'->>'content_id' = :c ORDER BY created_at",
                      s=subject, c=str(content_id))
    keep = ("retryable", "reason") if subject.endswith("publish_failed.v1") else (
        "external_id", "external_url", "content_version", "wordpress_status")
    return [{k: row["data"][k] for k in keep} for row in rows]
