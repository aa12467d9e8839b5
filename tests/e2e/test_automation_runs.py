"""Automation runs against the real planner, writer, billing and automation (offline AI): a run
takes a handful of keywords through clustering, ideas, tasks, articles and images to the review
gate, waits there for a person, and completes once they approve; a run the account cannot pay
for pauses for "credits"; who may start, see and steer runs; and tenancy."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.billing_fixtures import make_developer
from tests.e2e.idea_fixtures import SHOE_KEYWORDS, balance
from tests.e2e.planner_fixtures import KEYWORDS

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("automation", "planner", "writer")]

CONFIG = "/api/v1/automation/config/"
RUNS = "/api/v1/automation/runs/"
SETTINGS = {"cluster_limit": 20, "ideas_limit": 10, "content_limit": 2, "images_limit": 2,
            "in_article_images": 1, "auto_approve": False, "auto_publish": False,
            "stop_on_error": True}
RUN_TIMEOUT = 180


def add_keywords(gw: Any, member: Any, sector: dict[str, Any], words: list[str]) -> None:
    gw.ok(gw.call("POST", f"{KEYWORDS}bulk_create/", member, json={
        "site_id": sector["site_id"], "sector_id": sector["id"],
        "keywords": [{"keyword": k, "volume": 100 * (i + 1)} for i, k in enumerate(words)]}),
        201)


def run_of(gw: Any, member: Any, run_id: str) -> Any:
    return gw.ok(gw.call("GET", f"{RUNS}{run_id}/", member))


def wait_run(gw: Any, member: Any, run_id: str, until: Any, timeout: float = RUN_TIMEOUT) -> Any:
    def check() -> Any:
        run = run_of(gw, member, run_id)
        assert run["status"] != "failed", run
        return run if until(run) else None

    return gw.wait_for(check, timeout=timeout, interval=0.3)


def stage(run: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in run["stages"] if s["stage"] == name)
    return found


def items(run: dict[str, Any], kind: str) -> list[str]:
    return [i["id"] for i in run["items"] if i["kind"] == kind]


def site_contents(gw: Any, member: Any, site_id: str) -> list[Any]:
    body = gw.listing(gw.call("GET", "/api/v1/writer/content/", member,
                              params={"site_id": site_id, "page_size": 100}))
    return list(body["results"])


def site_tasks(gw: Any, member: Any, site_id: str) -> list[Any]:
    body = gw.listing(gw.call("GET", "/api/v1/writer/tasks/", member,
                              params={"site_id": site_id, "page_size": 100}))
    return list(body["results"])


def test_a_run_goes_to_the_review_gate_waits_for_people_and_completes(gw, team) -> None:
    site, sector = team.granted_site, team.granted_sector
    add_keywords(gw, team.owner, sector, SHOE_KEYWORDS)
    gw.ok(gw.call("PUT", f"{CONFIG}{site['id']}/", team.owner, json=SETTINGS))

    started = gw.ok(gw.call("POST", RUNS, team.editor, json={"site_id": site["id"]}), 201)
    assert started["status"] == "running" and started["trigger"] == "manual"
    assert started["started_by"] == team.editor.id
    run_id = started["id"]
    # One run per site at a time.
    busy = gw.fail(gw.call("POST", RUNS, team.owner, json={"site_id": site["id"]}), 409)
    assert "site_id" in busy["errors"]

    at_gate = wait_run(gw, team.viewer, run_id,
                       lambda r: r["stage"] == "review" and stage(r, "review")["state"]
                       == "running")
    assert stage(at_gate, "cluster")["processed"] == len(SHOE_KEYWORDS)
    assert sorted(items(at_gate, "keyword")) == sorted(
        k["id"] for k in gw.listing(gw.call("GET", KEYWORDS, team.owner,
                                            params={"site_id": site["id"]}))["results"])
    ideas = items(at_gate, "idea")
    assert ideas and stage(at_gate, "ideas")["state"] == "done"
    # The limits: two ideas queued as tasks, two articles written and illustrated.
    assert stage(at_gate, "queue")["processed"] == 2 == len(items(at_gate, "task"))
    assert stage(at_gate, "articles")["processed"] == 2
    assert stage(at_gate, "images")["processed"] == 2
    contents = items(at_gate, "content")
    assert len(contents) == 2
    assert stage(at_gate, "review")["total"] == 2 and stage(at_gate, "review")["processed"] == 0
    for name in ("cluster", "ideas", "articles", "images"):
        assert stage(at_gate, name)["operation_ids"], name

    # The writer has exactly what the run produced, waiting for review.
    written = site_contents(gw, team.owner, site["id"])
    assert sorted(c["id"] for c in written) == sorted(contents)
    assert {c["status"] for c in written} == {"review"}
    assert len(site_tasks(gw, team.owner, site["id"])) == 2
    operation = gw.ok(gw.call("GET", f"/api/v1/operations/{run_id}/", team.editor))
    assert operation["kind"] == "automation.run" and operation["state"] == "running"
    assert operation["phase"] == "REVIEW"

    # A person approves the articles: the run goes on and completes (publishing is off).
    for content_id in contents:
        gw.ok(gw.call("POST", f"/api/v1/writer/content/{content_id}/approve/", team.editor))
    done = wait_run(gw, team.viewer, run_id, lambda r: r["status"] == "completed")
    assert stage(done, "review")["processed"] == 2 and stage(done, "review")["state"] == "done"
    assert stage(done, "publish")["state"] == "skipped"
    assert done["stage"] == "done" and done["finished_at"]
    final = gw.wait_for(lambda: (lambda o: o if o["is_final"] else None)(
        gw.ok(gw.call("GET", f"/api/v1/operations/{run_id}/", team.editor))), timeout=30)
    assert final["state"] == "succeeded"

    # Nothing was made twice; a second run finds nothing new to write.
    assert len(site_contents(gw, team.owner, site["id"])) == 2
    assert len(site_tasks(gw, team.owner, site["id"])) == 2
    second = gw.ok(gw.call("POST", RUNS, team.owner, json={"site_id": site["id"]}), 201)
    idle = wait_run(gw, team.owner, second["id"], lambda r: r["status"] == "completed")
    assert stage(idle, "cluster")["state"] == "skipped"
    assert len(site_contents(gw, team.owner, site["id"])) == 2
    history = gw.listing(gw.call("GET", RUNS, team.viewer, params={"site_id": site["id"]}))
    assert [r["id"] for r in history["results"]] == [second["id"], run_id]


def test_a_run_the_account_cannot_pay_for_pauses_for_credits(gw, db, team) -> None:
    site, sector = team.granted_site, team.granted_sector
    add_keywords(gw, team.owner, sector, SHOE_KEYWORDS)
    gw.ok(gw.call("PUT", f"{CONFIG}{site['id']}/", team.owner, json=SETTINGS))
    developer = make_developer(gw, db, team.owner)
    available = balance(gw, team.owner)["available_credits"]
    gw.ok(gw.call("POST", "/api/v1/billing/credits/adjust/", developer, json={
        "amount": -available, "reason": "nothing left", "pool": "plan"}), 201)

    run_id = gw.ok(gw.call("POST", RUNS, team.editor, json={"site_id": site["id"]}), 201)["id"]
    paused = gw.wait_for(lambda: (lambda r: r if r["status"] == "paused" else None)(
        run_of(gw, team.owner, run_id)), timeout=RUN_TIMEOUT, interval=0.3)
    assert paused["pause_reason"] == "credits" and paused["stage"] == "ideas"
    assert paused["pause_details"]["stage"] == "ideas"
    assert paused["pause_details"]["available"] == ["0"]
    assert stage(paused, "cluster")["state"] == "done"  # clustering is free
    assert balance(gw, team.owner)["held_credits"] == 0  # nothing held, nothing sent
    assert not items(paused, "idea")

    # Viewers see it but may not steer it; the editor resumes (still no credits: paused again)
    # and cancels.
    gw.fail(gw.call("POST", f"{RUNS}{run_id}/resume/", team.viewer), 403)
    resumed = gw.ok(gw.call("POST", f"{RUNS}{run_id}/resume/", team.editor))
    assert resumed["status"] == "running" and resumed["pause_reason"] is None
    again = gw.wait_for(lambda: (lambda r: r if r["status"] == "paused" else None)(
        run_of(gw, team.owner, run_id)), timeout=RUN_TIMEOUT, interval=0.3)
    assert again["pause_reason"] == "credits"
    gw.fail(gw.call("POST", f"{RUNS}{run_id}/pause/", team.editor), 409)
    cancelled = gw.ok(gw.call("POST", f"{RUNS}{run_id}/cancel/", team.editor))
    assert cancelled["status"] == "cancelled"
    conflict = gw.fail(gw.call("POST", f"{RUNS}{run_id}/cancel/", team.owner), 409)
    assert "action" in conflict["errors"]
    assert balance(gw, team.owner)["held_credits"] == 0


def test_who_may_start_and_see_runs(gw, team) -> None:
    granted, hidden = team.granted_site, team.other_site
    gw.fail(gw.call("POST", RUNS, team.viewer, json={"site_id": granted["id"]}), 403)
    gw.fail(gw.call("POST", RUNS, team.editor, json={"site_id": hidden["id"]}), 404)
    mine = gw.ok(gw.call("POST", RUNS, team.editor, json={"site_id": granted["id"]}), 201)
    theirs = gw.ok(gw.call("POST", RUNS, team.admin, json={"site_id": hidden["id"]}), 201)

    # Editors and viewers see the runs of the sites they were granted; owners every run.
    for role in ("viewer", "editor"):
        member = team.member(role)
        listed = gw.listing(gw.call("GET", RUNS, member))
        assert [r["id"] for r in listed["results"]] == [mine["id"]]
        run_of(gw, member, mine["id"])
        gw.fail(gw.call("GET", f"{RUNS}{theirs['id']}/", member), 404)
        # A viewer's write is refused for its role before the run is looked up.
        gw.fail(gw.call("POST", f"{RUNS}{theirs['id']}/cancel/", member),
                403 if role == "viewer" else 404)
        gw.fail(gw.call("GET", RUNS, member, params={"site_id": hidden["id"]}), 404)
    assert gw.listing(gw.call("GET", RUNS, team.owner))["count"] == 2

    # Another account sees none of it.
    stranger = gw.register("stranger")
    assert gw.listing(gw.call("GET", RUNS, stranger))["count"] == 0
    gw.fail(gw.call("GET", f"{RUNS}{mine['id']}/", stranger), 404)
    gw.fail(gw.call("POST", f"{RUNS}{mine['id']}/pause/", stranger), 404)
    gw.fail(gw.call("POST", RUNS, stranger, json={"site_id": granted["id"]}), 404)
    gw.fail(gw.call("GET", f"{RUNS}{uuid.uuid4()}/", team.owner), 404)


@pytest.mark.parametrize(("body", "field"), [
    ({}, "site_id"),
    ({"site_id": "not-a-uuid"}, "site_id"),
    ({"site_id": str(uuid.uuid4()), "stage": "ideas"}, "stage"),
])
def test_bad_run_input_is_400(gw, module_team, body: dict[str, Any], field: str) -> None:
    failure = gw.fail(gw.call("POST", RUNS, module_team.owner, json=body), 400)
    assert any(field in key for key in failure["errors"]), failure
    gw.fail(gw.call("GET", RUNS, module_team.owner, params={"status": "sleeping"}), 400)
