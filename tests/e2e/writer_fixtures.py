"""For the writer e2e tests (the writer process itself is ``service_fixtures.writer``): a fake
OpenAI-compatible server that writes articles (reached through the real openai client, as an
account's own provider), and helpers: tasks, generation, events published to JetStream, the
writer's rows."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import nats
from sqlalchemy import text

from igny8_ai.fake_server import FakeOpenAI
from igny8_contracts import Envelope, Event
from tests.e2e.idea_fixtures import balance
from tests.e2e.planner_fixtures import finished

TASKS = "/api/v1/writer/tasks/"
CONTENT = "/api/v1/writer/content/"
PROFILES = "/api/v1/system/author-profiles/"
GENERATE = f"{TASKS}generate_content/"
FAKE_KEY = "sk-writer-fake-7a31"
FAKE_MODEL = "fake-writer-model"
# What the fake model slips into every article: none of it may reach storage.
HOSTILE = ('<script>alert("x")</script><p onclick="steal()">Click <a href="javascript:alert(1)">'
           'here</a>.</p><iframe src="https://evil.example/"></iframe>'
           '<img src="https://img.example/a.png" onerror="steal()" alt="a">')


def article_responder(body: Mapping[str, Any]) -> str:
    """A well-formed article for the default generate_content prompt: the primary keyword in
    the title and opening, h2/h3 sections, meta fields — plus hostile markup."""
    prompt = str(body["messages"][-1]["content"])
    keyword = re.search(r"Primary keyword: (.*)\n", prompt).group(1).strip()  # type: ignore[union-attr]
    language = re.search(r"everything \(title.*?\) in (\S+)\.", prompt).group(1)  # type: ignore[union-attr]
    idea = json.loads(re.search(r"\): (\{.*\})\n", prompt).group(1))  # type: ignore[union-attr]
    title = idea["title"] if keyword.lower() in idea["title"].lower() else f"{keyword}: {idea['title']}"
    html = (f"<p>All about {keyword}, written for readers in {language}.</p>{HOSTILE}"
            f"<h2>Why {keyword} matters</h2><p>Reasons and details.</p>"
            f"<h3>In short</h3><p>A short answer.</p><h2>Choosing well</h2><p>Done.</p>")
    return json.dumps({"title": title, "slug": "", "html": html,
                       "excerpt": f"About {keyword}.", "meta_title": title,
                       "meta_description": f"Everything about {keyword} " + "x" * 300,
                       "categories": ["Guides"], "tags": [keyword, "tips"],
                       "language": language})


@contextmanager
def article_server() -> Iterator[FakeOpenAI]:
    """The fake server answering ``article_responder`` (a test module's ``fake`` fixture)."""
    with FakeOpenAI.running(api_key=FAKE_KEY, known_models=frozenset({FAKE_MODEL})) as server:
        server.responder = article_responder
        yield server


def use_fake_provider(gw: Any, owner: Any, fake: FakeOpenAI) -> None:
    """The account's own AI provider: the fake server (kept by the gateway, asked for by the
    writer with GetAccountAi)."""
    gw.ok(gw.call("PUT", "/api/v1/system/settings/ai/", owner, json={
        "kind": "openai_compatible", "base_url": fake.base_url, "model": FAKE_MODEL,
        "api_key": FAKE_KEY}))


def make_task(gw: Any, member: Any, sector: dict[str, Any], **fields: Any) -> Any:
    body = {"site_id": sector["site_id"], "sector_id": sector["id"],
            "title": "Guide to trail shoes", "keywords": ["trail shoes", "grip"], **fields}
    return gw.ok(gw.call("POST", TASKS, member, json=body), 201)


def tasks_of(gw: Any, member: Any, **params: Any) -> list[Any]:
    body = gw.listing(gw.call("GET", TASKS, member, params={"page_size": 100, **params}))
    return list(body["results"])


def content_of(gw: Any, member: Any, **params: Any) -> list[Any]:
    body = gw.listing(gw.call("GET", CONTENT, member, params={"page_size": 100, **params}))
    return list(body["results"])


def generated(gw: Any, member: Any, task_ids: list[str], timeout: float = 60,
              **body: Any) -> Any:
    """Generate the tasks' articles and wait for the operation; its final state (once billing
    has opened the account's balance, which it does asynchronously)."""
    balance(gw, member)
    accepted = gw.ok(gw.call("POST", GENERATE, member, json={"task_ids": task_ids, **body}),
                     202)
    return finished(gw, member, accepted["operation_id"], timeout=timeout)


def writer_rows(db: Any, sql: str, **params: Any) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(sql), params).mappings())


async def _publish(nats_url: str, event: Event, account_id: uuid.UUID) -> None:
    envelope = Envelope.wrap(event, source="igny8/e2e", correlation_id=str(uuid.uuid4()),
                             account_id=account_id)
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().publish(event.subject(), envelope.model_dump_json().encode(),
                                     headers={"Nats-Msg-Id": str(envelope.id)})
    finally:
        await nc.drain()


def publish_event(nats_url: str, event: Event, account_id: str) -> None:
    """Publish ``event`` to JetStream as its owner's relay would."""
    asyncio.run(_publish(nats_url, event, uuid.UUID(account_id)))
