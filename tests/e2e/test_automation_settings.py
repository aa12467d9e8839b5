"""A site's automation settings through the gateway and the automation service: defaults, saving
with the schedule read in a time zone, bad input (400 with field errors, nothing saved), roles
(viewers read, owners and admins configure) and tenancy (another account's site is 404)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("automation")]

CONFIG = "/api/v1/automation/config/"
DEFAULTS = {"is_active": False, "schedule": None, "timezone": "UTC", "cluster_limit": 10,
            "ideas_limit": 10, "content_limit": 5, "images_limit": 10, "publish_limit": 5,
            "in_article_images": 1, "delay_seconds": 0, "max_run_minutes": 60,
            "auto_approve": False, "auto_publish": False, "stop_on_error": True}
SETTINGS = {**DEFAULTS, "is_active": True, "schedule": "30 6 * * 1-5",
            "timezone": "Europe/Berlin", "content_limit": 2, "auto_approve": True}


def config_url(site: dict[str, Any]) -> str:
    return f"{CONFIG}{site['id']}/"


def test_defaults_then_saved_settings_with_the_next_run_in_their_time_zone(gw, team) -> None:
    site = team.granted_site
    fresh = gw.ok(gw.call("GET", config_url(site), team.viewer))
    assert {k: fresh[k] for k in DEFAULTS} == DEFAULTS
    assert fresh["next_run_at"] is None and fresh["updated_at"] is None

    saved = gw.ok(gw.call("PUT", config_url(site), team.admin, json=SETTINGS))
    assert {k: saved[k] for k in SETTINGS} == SETTINGS
    next_run = datetime.fromisoformat(saved["next_run_at"])
    # 06:30 in Berlin is 04:30 or 05:30 UTC (summer or winter), on a weekday.
    assert next_run > datetime.now(UTC)
    assert (next_run.hour, next_run.minute) in {(4, 30), (5, 30)}
    assert next_run.astimezone(UTC).weekday() < 5

    again = gw.ok(gw.call("GET", config_url(site), team.editor))
    assert again == saved
    inactive = gw.ok(gw.call("PUT", config_url(site), team.owner,
                             json={**SETTINGS, "is_active": False}))
    assert inactive["next_run_at"] is None and inactive["schedule"] == SETTINGS["schedule"]


@pytest.mark.parametrize(("change", "field"), [
    ({"schedule": "61 * * * *"}, "schedule"),
    ({"schedule": "every morning"}, "schedule"),
    ({"schedule": "0 9 * * * *"}, "schedule"),
    ({"schedule": None}, "schedule"),  # active without a schedule
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"cluster_limit": -1}, "cluster_limit"),
    ({"ideas_limit": 10_000}, "ideas_limit"),
    ({"content_limit": 101}, "content_limit"),
    ({"publish_limit": -5}, "publish_limit"),
    ({"delay_seconds": 86_400}, "delay_seconds"),
    ({"max_run_minutes": 0}, "max_run_minutes"),
    ({"stages": ["cluster", "translate"]}, "stages"),
    ({"auto_approve": "maybe"}, "auto_approve"),
])
def test_bad_settings_are_400_with_field_errors_and_nothing_is_saved(
        gw, module_team, change: dict[str, Any], field: str) -> None:
    site = module_team.granted_site
    before = gw.ok(gw.call("GET", config_url(site), module_team.owner))
    failure = gw.fail(gw.call("PUT", config_url(site), module_team.owner,
                              json={**SETTINGS, **change}), 400)
    assert any(field in key for key in failure["errors"]), failure
    assert gw.ok(gw.call("GET", config_url(site), module_team.owner)) == before


def test_only_owners_and_admins_configure(gw, module_team) -> None:
    site = module_team.granted_site
    for role in ("editor", "viewer"):
        gw.fail(gw.call("PUT", config_url(site), module_team.member(role), json=SETTINGS), 403)
    for role in ("viewer", "editor", "admin", "owner"):
        gw.ok(gw.call("GET", config_url(site), module_team.member(role)))


def test_sites_out_of_reach_are_404(gw, module_team) -> None:
    # A site the viewer and editor were not granted, another account's site, no site at all.
    hidden = module_team.other_site
    for role in ("viewer", "editor"):
        gw.fail(gw.call("GET", config_url(hidden), module_team.member(role)), 404)
    stranger = gw.register("stranger")
    foreign = gw.create_site(stranger, "Foreign", "foreign.example.com")
    gw.fail(gw.call("GET", config_url(foreign), module_team.owner), 404)
    gw.fail(gw.call("PUT", config_url(foreign), module_team.owner, json=SETTINGS), 404)
    gw.fail(gw.call("GET", f"{CONFIG}{uuid.uuid4()}/", module_team.owner), 404)
    assert gw.ok(gw.call("GET", config_url(foreign), stranger))["content_limit"] == 5
