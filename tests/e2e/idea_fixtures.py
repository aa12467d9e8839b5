"""Helpers for the content idea e2e tests: clusters made by the planner's own AutoClusterKeywords
command (published to JetStream, independent of the cluster HTTP routes), idea generation
through the gateway, and a reader of IdeasQueued events on JetStream."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import nats
from sqlalchemy import text

from igny8_contracts.planner import AutoClusterKeywords
from igny8_runtime.operations import send_command
from tests.e2e.planner_fixtures import KEYWORDS, finished

IDEAS = "/api/v1/planner/ideas/"
GENERATE = "/api/v1/planner/clusters/generate_ideas/"
QUEUED_SUBJECT = "evt.planner.ideas.queued.v1"
SHOE_KEYWORDS = ["running shoes", "best running shoes", "running shoes for flat feet",
                 "yoga mat", "thick yoga mat", "yoga mat for beginners"]


async def _send(nats_url: str, command: AutoClusterKeywords) -> None:
    nc = await nats.connect(nats_url)
    try:
        await send_command(nc.jetstream(), command, account_id=command.account_id, source="e2e")
    finally:
        await nc.drain()


def make_clusters(gw: Any, db: Any, nats_url: str, member: Any, sector: dict[str, Any],
                  keywords: list[str] = SHOE_KEYWORDS) -> list[str]:
    """Create ``keywords`` in ``sector`` and have the planner cluster them; the cluster ids."""
    gw.ok(gw.call("POST", f"{KEYWORDS}bulk_create/", member, json={
        "site_id": sector["site_id"], "sector_id": sector["id"],
        "keywords": [{"keyword": k, "volume": 100 * (i + 1)} for i, k in enumerate(keywords)]}),
        201)
    command = AutoClusterKeywords(operation_id=uuid.uuid4(),
                                  account_id=uuid.UUID(member.account_id),
                                  site_id=uuid.UUID(sector["site_id"]),
                                  sector_id=uuid.UUID(sector["id"]))
    asyncio.run(_send(nats_url, command))

    def clustered() -> list[str]:
        with db.engine.connect() as conn:
            left = conn.execute(text(
                "SELECT count(*) FROM planner.keywords WHERE sector_id = :s AND cluster_id IS NULL"),
                {"s": uuid.UUID(sector["id"])}).scalar_one()
            ids = conn.execute(text("SELECT id FROM planner.clusters WHERE sector_id = :s "
                                    "ORDER BY name"), {"s": uuid.UUID(sector["id"])}).scalars()
            found = [str(i) for i in ids]
        return found if found and left == 0 else []

    clusters: list[str] = gw.wait_for(clustered, timeout=30, interval=0.2)
    return clusters


def generate(gw: Any, member: Any, cluster_ids: list[str], **body: Any) -> Any:
    return gw.call("POST", GENERATE, member, json={"cluster_ids": cluster_ids, **body})


def generated(gw: Any, member: Any, cluster_ids: list[str], **body: Any) -> Any:
    """Generate ideas and wait for the operation; its final state."""
    accepted = gw.ok(generate(gw, member, cluster_ids, **body), 202)
    return finished(gw, member, accepted["operation_id"])


def ideas_of(gw: Any, member: Any, **params: Any) -> list[Any]:
    body = gw.listing(gw.call("GET", IDEAS, member, params={"page_size": 100, **params}))
    return list(body["results"])


def balance(gw: Any, member: Any) -> Any:
    """The member's balance, once billing has opened it (it does so asynchronously)."""
    response = gw.wait_for(
        lambda: (lambda r: r if r.status_code != 404 else None)(
            gw.call("GET", "/api/v1/billing/balance/", member)),
        timeout=30)
    return gw.ok(response)


async def _queued_events(nats_url: str, account_id: str, wanted: int,
                         timeout: float) -> list[dict[str, Any]]:
    nc = await nats.connect(nats_url)
    found: list[dict[str, Any]] = []
    try:
        sub = await nc.jetstream().subscribe(QUEUED_SUBJECT, ordered_consumer=True)
        deadline = asyncio.get_running_loop().time() + timeout
        while sum(len(e["data"]["ideas"]) for e in found) < wanted:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            try:
                message = await sub.next_msg(timeout=remaining)
            except TimeoutError:
                break
            envelope = json.loads(message.data)
            if envelope["data"]["account_id"] == account_id:
                found.append(envelope)
    finally:
        await nc.drain()
    return found


def queued_events(nats_url: str, account_id: str, wanted: int,
                  timeout: float = 15) -> list[dict[str, Any]]:
    """The account's IdeasQueued envelopes on JetStream, until they carry ``wanted`` ideas."""
    return asyncio.run(_queued_events(nats_url, account_id, wanted, timeout))
