"""Keywords through the gateway: CRUD, bulk operations, filters, keyset pages, tenancy, roles."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.planner_fixtures import KEYWORDS, keywords_of

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]


def create(gw: Any, member: Any, sector: dict[str, Any], keyword: str, **fields: Any) -> Any:
    body = {"site_id": sector["site_id"], "sector_id": sector["id"], "keyword": keyword, **fields}
    return gw.call("POST", KEYWORDS, member, json=body)


def test_create_get_update_delete(gw, team) -> None:
    sector = team.granted_sector
    made = gw.ok(create(gw, team.editor, sector, "  Running   Shoes ", volume=1200,
                        difficulty=40, cpc="1.25", intent="commercial"), 201)
    assert {k: made[k] for k in ("keyword", "volume", "difficulty", "intent", "status",
                                 "cluster_id")} == {
        "keyword": "Running Shoes", "volume": 1200, "difficulty": 40, "intent": "commercial",
        "status": "pending", "cluster_id": None}
    url = f"{KEYWORDS}{made['id']}/"
    assert gw.ok(gw.call("GET", url, team.viewer))["id"] == made["id"]
    changed = gw.ok(gw.call("PATCH", url, team.editor, json={"volume": 9, "status": "archived"}))
    assert (changed["volume"], changed["status"], changed["difficulty"]) == (9, "archived", 40)
    gw.ok(gw.call("DELETE", url, team.editor))
    gw.fail(gw.call("GET", url, team.owner), 404)


def test_duplicates_after_normalisation_are_reported_not_doubled(gw, team) -> None:
    sector = team.granted_sector
    gw.ok(create(gw, team.owner, sector, "Caf\u00e9 Cr\u00e8me"), 201)
    gw.fail(create(gw, team.owner, sector, "  CAFE\u0301   cr\u00e8me"), 409)
    bulk = gw.ok(gw.call("POST", f"{KEYWORDS}bulk_create/", team.owner, json={
        "site_id": sector["site_id"], "sector_id": sector["id"],
        "keywords": [{"keyword": "new one"}, {"keyword": "NEW  one"},
                     {"keyword": "caf\u00e9 cr\u00e8me"}]}), 201)
    assert [k["keyword"] for k in bulk["created"]] == ["new one"]
    assert sorted(bulk["duplicates"]) == ["NEW  one", "caf\u00e9 cr\u00e8me"]
    assert len(keywords_of(gw, team.owner, sector)) == 2
    # The same keyword in another sector is another keyword.
    gw.ok(create(gw, team.owner, team.other_sector, "new one"), 201)


def test_bulk_status_and_bulk_delete(gw, team) -> None:
    sector = team.granted_sector
    ids = [gw.ok(create(gw, team.owner, sector, f"kw {i}"), 201)["id"] for i in range(3)]
    done = gw.ok(gw.call("POST", f"{KEYWORDS}bulk_update_status/", team.editor,
                         json={"ids": ids[:2], "status": "used"}))
    assert done["updated_count"] == 2
    assert len(keywords_of(gw, team.owner, sector, status="used")) == 2
    gone = gw.ok(gw.call("POST", f"{KEYWORDS}bulk_delete/", team.editor, json={"ids": ids}))
    assert gone["deleted_count"] == 3
    assert keywords_of(gw, team.owner, sector) == []


def test_filters_and_keyset_pages(gw, team) -> None:
    sector = team.granted_sector
    gw.ok(gw.call("POST", f"{KEYWORDS}bulk_create/", team.owner, json={
        "site_id": sector["site_id"], "sector_id": sector["id"],
        "keywords": [{"keyword": f"shoe {i:02d}", "volume": i * 10, "difficulty": i,
                      "intent": "commercial" if i % 2 else "informational"}
                     for i in range(25)]}), 201)
    assert len(keywords_of(gw, team.owner, sector, intent="commercial")) == 12
    assert len(keywords_of(gw, team.owner, sector, volume_min=100, volume_max=150)) == 6
    assert len(keywords_of(gw, team.owner, sector, difficulty_max=4)) == 5
    assert len(keywords_of(gw, team.owner, sector, search="SHOE 1")) == 10
    seen: list[str] = []
    url: str | None = KEYWORDS
    params: dict[str, Any] | None = {"sector_id": sector["id"], "ordering": "-volume",
                                     "page_size": 10}
    while url:
        body = gw.listing(gw.call("GET", url, team.owner, params=params))
        assert body["count"] == 25
        seen.extend(k["keyword"] for k in body["results"])
        url, params = body["next"], None
    assert seen == [f"shoe {i:02d}" for i in range(24, -1, -1)]
    last = gw.listing(gw.call("GET", KEYWORDS, team.owner, params={
        "sector_id": sector["id"], "ordering": "keyword", "page_size": 10}))
    second = gw.listing(gw.call("GET", last["next"], team.owner))
    back = gw.listing(gw.call("GET", second["previous"], team.owner))
    assert back["results"] == last["results"]
    assert set(last["results"][0]) >= {"id", "keyword", "volume", "difficulty", "intent",
                                       "status", "cluster_id"}


def test_search_filter_matches_normalised_text(gw, team) -> None:
    sector = team.granted_sector
    for word in ("Blue Widget", "red widget", "gadget"):
        gw.ok(create(gw, team.owner, sector, word), 201)
    found = keywords_of(gw, team.owner, sector, search="WIDGET")
    assert sorted(k["keyword"] for k in found) == ["Blue Widget", "red widget"]


def test_foreign_ids_answer_404(gw, team) -> None:
    stranger = gw.register("stranger")
    mine = gw.ok(create(gw, team.owner, team.granted_sector, "private"), 201)
    url = f"{KEYWORDS}{mine['id']}/"
    gw.fail(gw.call("GET", url, stranger), 404)
    gw.fail(gw.call("PATCH", url, stranger, json={"volume": 1}), 404)
    gw.fail(gw.call("DELETE", url, stranger), 404)
    assert gw.ok(gw.call("POST", f"{KEYWORDS}bulk_delete/", stranger,
                         json={"ids": [mine["id"]]}))["deleted_count"] == 0
    gw.fail(create(gw, stranger, team.granted_sector, "sneaky"), 404)
    gw.fail(gw.call("GET", KEYWORDS, stranger, params={"sector_id": team.granted_sector["id"]}),
            404)
    assert gw.listing(gw.call("GET", KEYWORDS, stranger))["count"] == 0
    gw.fail(gw.call("GET", f"{KEYWORDS}{uuid.uuid4()}/", team.owner), 404)


def test_sites_not_granted_are_invisible_to_editors(gw, team) -> None:
    hidden = gw.ok(create(gw, team.owner, team.other_sector, "hidden"), 201)
    gw.fail(gw.call("GET", f"{KEYWORDS}{hidden['id']}/", team.editor), 404)
    gw.fail(create(gw, team.editor, team.other_sector, "nope"), 404)
    assert all(k["id"] != hidden["id"] for k in gw.listing(
        gw.call("GET", KEYWORDS, team.editor, params={"page_size": 500}))["results"])
    # A sector of one site named with another site is not found either.
    body = {"site_id": team.granted_site["id"], "sector_id": team.other_sector["id"],
            "keyword": "mixed"}
    gw.fail(gw.call("POST", KEYWORDS, team.owner, json=body), 404)


def test_viewers_cannot_write(gw, team) -> None:
    sector = team.granted_sector
    made = gw.ok(create(gw, team.owner, sector, "read only"), 201)
    url = f"{KEYWORDS}{made['id']}/"
    gw.fail(create(gw, team.viewer, sector, "by viewer"), 403)
    gw.fail(gw.call("PATCH", url, team.viewer, json={"volume": 1}), 403)
    gw.fail(gw.call("DELETE", url, team.viewer), 403)
    gw.fail(gw.call("POST", f"{KEYWORDS}bulk_delete/", team.viewer, json={"ids": [made["id"]]}),
            403)
    gw.fail(gw.call("POST", f"{KEYWORDS}bulk_update_status/", team.viewer,
                    json={"ids": [made["id"]], "status": "used"}), 403)
    assert gw.ok(gw.call("GET", url, team.viewer))["status"] == "pending"


def test_bad_input_is_a_clear_400(gw, team) -> None:
    sector = team.granted_sector
    body = gw.fail(create(gw, team.owner, sector, "x", difficulty=101), 400)
    assert "difficulty" in body["errors"]
    gw.fail(gw.call("GET", KEYWORDS, team.owner, params={"cursor": "garbage"}), 400)
    gw.fail(gw.call("GET", KEYWORDS, team.owner, params={"ordering": "password"}), 400)
