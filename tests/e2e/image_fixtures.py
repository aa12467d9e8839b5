"""Helpers for the writer image e2e tests (the writer process is ``writer_fixtures.writer``):
articles seeded in its tables (a task and its content, so a test controls the headings the
images follow), a fake OpenAI responder for image prompts, and the publisher's
GetPublishableContent over NATS."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

import nats
from sqlalchemy import text

from igny8_contracts import Envelope, QueryResult
from igny8_contracts.writer import GetPublishableContent

GENERATE_IMAGES = "/api/v1/writer/tasks/generate_images/"
IMAGES = "/api/v1/writer/images/"
BROKEN_MARK = "BROKEN-ARTICLE"  # the fake answers nonsense for an article containing it
HEADINGS = ["Choosing a tent", "Pitching it in the wind", "Packing it away dry"]


def article_html(title: str, headings: list[str] = HEADINGS, extra: str = "") -> str:
    sections = "".join(f"<h2>{h}</h2><p>About {h.lower()} for {title.lower()}. {extra}</p>"
                       for h in headings)
    return f"<p>An introduction to {title.lower()}.</p>{sections}"


def seed_article(db: Any, member: Any, sector: dict[str, Any], title: str = "Camping tents",
                 html: str | None = None, *, with_content: bool = True) -> dict[str, str]:
    """A writer task in ``sector`` (of ``member``'s account) and, unless told otherwise, its
    article (content version 1). Its ids."""
    task_id, content_id = uuid.uuid4(), uuid.uuid4()
    values = {"t": task_id, "c": content_id, "a": uuid.UUID(member.account_id),
              "s": uuid.UUID(sector["site_id"]), "e": uuid.UUID(sector["id"]), "title": title,
              "html": html if html is not None else article_html(title)}
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO writer.tasks (id, account_id, site_id, sector_id, title, "
            "content_structure, content_type, status) VALUES (:t, :a, :s, :e, :title, "
            "'supporting_page', 'blog_post', :status)"),
            {**values, "status": "completed" if with_content else "queued"})
        if with_content:
            conn.execute(text(
                "INSERT INTO writer.content (id, account_id, site_id, sector_id, task_id, title, "
                "html, version, status) VALUES (:c, :a, :s, :e, :t, :title, :html, 1, 'draft')"),
                values)
            conn.execute(text(
                "INSERT INTO writer.content_versions (id, content_id, account_id, version, title, "
                "html, source) VALUES (:v, :c, :a, 1, :title, :html, 'generated')"),
                {**values, "v": uuid.uuid4()})
    return {"task_id": str(task_id), "content_id": str(content_id)}


def content_row(db: Any, content_id: str) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT html, version FROM writer.content WHERE id = :c"),
                            {"c": uuid.UUID(content_id)}).one()


def version_sources(db: Any, content_id: str) -> list[tuple[int, str]]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT version, source FROM writer.content_versions "
                                 "WHERE content_id = :c ORDER BY version"),
                            {"c": uuid.UUID(content_id)})
        return [(int(r.version), str(r.source)) for r in rows]


def image_prompts_responder(body: Mapping[str, Any]) -> str:
    """Answers the extract_image_prompts prompt like a model would: the featured image and
    one in-article image per heading asked for, each after a heading of the article."""
    prompt = str(body["messages"][-1]["content"])
    if BROKEN_MARK in prompt:
        return "Sorry, I cannot help with that."
    count = int(re.search(r"and (\d+) in-article images", prompt).group(1))  # type: ignore[union-attr]
    headings = json.loads(re.search(r"Section headings \(JSON array, in order\): (\[.*?\])\n",
                                    prompt).group(1))  # type: ignore[union-attr]
    title = re.search(r"Title: (.*)\n", prompt).group(1)  # type: ignore[union-attr]
    return json.dumps({
        "featured": {"prompt": f"A photograph about {title}, wide shot",
                     "alt_text": f"Header photo for {title}", "caption": title},
        "in_article": [{"prompt": f"A photograph illustrating {h}",
                        "alt_text": f"Photo showing {h.lower()}", "caption": h,
                        "after_heading": h}
                       for h in (headings * count)[:count]]})


def images_of(gw: Any, member: Any, **params: Any) -> list[Any]:
    body = gw.listing(gw.call("GET", IMAGES, member, params={"page_size": 100, **params}))
    return list(body["results"])


async def _publishable(nats_url: str, account_id: str, content_id: str) -> QueryResult:
    nc = await nats.connect(nats_url)
    try:
        query = GetPublishableContent(account_id=uuid.UUID(account_id),
                                      content_id=uuid.UUID(content_id))
        envelope = Envelope.wrap(query, source="igny8/e2e", correlation_id=str(uuid.uuid4()),
                                 account_id=uuid.UUID(account_id))
        reply = await nc.request(query.subject(), envelope.model_dump_json().encode(), timeout=10)
        return QueryResult.model_validate_json(reply.data)
    finally:
        await nc.drain()


def publishable(nats_url: str, account_id: str, content_id: str) -> QueryResult:
    """What the publisher gets for the content (the writer answers GetPublishableContent)."""
    return asyncio.run(_publishable(nats_url, account_id, content_id))
