"""The schedule tick: a site's cron schedule starts a run, and two automation replicas sweeping
the same schedules start one run per tick (each claims due settings with SKIP LOCKED and moves
their next time on in the same transaction)."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from tests.e2e.service_fixtures import AUTOMATION_ENV, AUTOMATION_READY_TIMEOUT

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner", "writer")]

CONFIG = "/api/v1/automation/config/"
RUNS = "/api/v1/automation/runs/"
EVERY_MINUTE = "* * * * *"


def test_two_replicas_start_one_run_per_tick(gw, team, automation, service_process) -> None:
    second = service_process("automation", AUTOMATION_ENV, timeout=AUTOMATION_READY_TIMEOUT)
    site = team.granted_site
    url = f"{CONFIG}{site['id']}/"
    try:
        saved = gw.ok(gw.call("PUT", url, team.owner, json={
            "is_active": True, "schedule": EVERY_MINUTE, "timezone": "Asia/Kolkata"}))
        first_tick = datetime.fromisoformat(saved["next_run_at"])
        assert first_tick.second == 0

        def scheduled() -> list[dict[str, object]]:
            listed = gw.listing(gw.call("GET", RUNS, team.viewer, params={"site_id": site["id"]}))
            return [r for r in listed["results"] if r["trigger"] == "schedule"]

        runs = gw.wait_for(scheduled, timeout=90, interval=0.2)
        # Both replicas swept this tick meanwhile (every 0.2 s): still one run.
        time.sleep(3)
        assert len(scheduled()) == 1, scheduled()
        assert runs[0]["started_by"] is None
        later = gw.ok(gw.call("GET", url, team.owner))
        assert datetime.fromisoformat(later["next_run_at"]) > first_tick
        assert second.is_running and automation.is_running
    finally:
        gw.ok(gw.call("PUT", url, team.owner, json={"is_active": False}))
        second.terminate()
