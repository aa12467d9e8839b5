"""Helpers for the cluster e2e tests: keywords of clear topics, auto-clustering as an
operation, listing clusters, and reading the planner's events from JetStream."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.e2e.planner_fixtures import KEYWORDS, finished
from tests.e2e.stream_events import account_events

CLUSTERS = "/api/v1/planner/clusters/"
AUTO_CLUSTER = f"{KEYWORDS}auto_cluster/"

SHOES = [("running shoes", 1000, 40, "commercial"), ("best running shoes", 800, 50, "commercial"),
         ("running shoes for women", 300, 30, "transactional"),
         ("cheap running shoes", 200, 20, "transactional"),
         ("trail running shoes", 100, None, "commercial")]
COFFEE = [("espresso machine", 900, 60, "commercial"),
          ("best espresso machine", 500, 70, "commercial"),
          ("espresso machine for home", 250, None, "informational"),
          ("cheap espresso machine", 150, 30, "transactional"),
          ("espresso machine reviews", 50, 40, "informational")]


def add_keywords(gw: Any, member: Any, sector: dict[str, Any],
                 rows: list[tuple[str, int | None, int | None, str | None]]) -> list[Any]:
    """Create the keywords (text, volume, difficulty, intent); answers them as created."""
    body = {"site_id": sector["site_id"], "sector_id": sector["id"], "keywords": [
        {"keyword": text, "volume": volume, "difficulty": difficulty, "intent": intent}
        for text, volume, difficulty, intent in rows]}
    created: list[Any] = gw.ok(gw.call("POST", f"{KEYWORDS}bulk_create/", member, json=body),
                               201)["created"]
    assert len(created) == len(rows)
    return created


def start_auto_cluster(gw: Any, member: Any, sector: dict[str, Any], **body: Any) -> Any:
    return gw.call("POST", AUTO_CLUSTER, member,
                   json={"site_id": sector["site_id"], "sector_id": sector["id"], **body})


def auto_cluster(gw: Any, member: Any, sector: dict[str, Any], **body: Any) -> Any:
    """Runs auto-clustering to the end; answers the operation, which must have succeeded."""
    accepted = gw.ok(start_auto_cluster(gw, member, sector, **body), 202)
    operation = finished(gw, member, accepted["operation_id"])
    assert operation["state"] == "succeeded", operation
    return operation


def clusters_of(gw: Any, member: Any, sector: dict[str, Any]) -> list[Any]:
    body = gw.listing(gw.call("GET", CLUSTERS, member,
                              params={"sector_id": sector["id"], "page_size": 100}))
    return list(body["results"])


def clustered_sector(gw: Any, member: Any, sector: dict[str, Any]) -> dict[str, Any]:
    """Shoe and coffee keywords, auto-clustered: answers the two clusters by topic."""
    add_keywords(gw, member, sector, SHOES + COFFEE)
    auto_cluster(gw, member, sector)
    by_name = {cluster["name"]: cluster for cluster in clusters_of(gw, member, sector)}
    assert set(by_name) == {"running shoes", "espresso machine"}, by_name
    return {"shoes": by_name["running shoes"], "coffee": by_name["espresso machine"]}


def planner_events(nats_url: str, account_id: str, subject: str,
                   wanted: int) -> list[dict[str, Any]]:
    """The planner's envelopes on ``subject`` for the account, oldest first (waits for
    ``wanted`` of them: the outbox relay publishes shortly after each commit)."""
    return asyncio.run(account_events(nats_url, stream="PLANNER_EVENTS", subject=subject,
                                      account_id=account_id, wanted=wanted, attempts=50))

