"""Editors and viewers see only the sites they were granted, and what lies under them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def _ids(listing: dict) -> set[str]:
    return {item["id"] for item in listing["results"]}


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_lists_show_only_granted_sites_and_their_sectors(gw, module_team, role: str) -> None:
    team, member = module_team, module_team.member(role)
    sites = gw.listing(gw.call("GET", "/api/v1/auth/sites/", member))
    assert _ids(sites) == {team.granted_site["id"]}
    assert sites["count"] == 1
    sectors = gw.listing(gw.call("GET", "/api/v1/auth/sectors/", member))
    assert _ids(sectors) == {team.granted_sector["id"]}
    grants = gw.listing(gw.call("GET", "/api/v1/auth/site-access/", member))
    assert {g["user_id"] for g in grants["results"]} == {member.id}


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_see_every_site(gw, module_team, role: str) -> None:
    team, member = module_team, module_team.member(role)
    sites = gw.listing(gw.call("GET", "/api/v1/auth/sites/", member))
    assert _ids(sites) == {team.granted_site["id"], team.other_site["id"]}
    sectors = gw.listing(gw.call("GET", "/api/v1/auth/sectors/", member))
    assert _ids(sectors) == {team.granted_sector["id"], team.other_sector["id"]}
    grants = gw.listing(gw.call("GET", "/api/v1/auth/site-access/", member))
    assert _ids(grants) == {team.editor_grant["id"], team.viewer_grant["id"]}


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_ungranted_site_and_its_sectors_are_not_found(gw, db, module_team, role: str) -> None:
    team, member = module_team, module_team.member(role)
    site = f"/api/v1/auth/sites/{team.other_site['id']}/"
    sector = f"/api/v1/auth/sectors/{team.other_sector['id']}/"
    before = db.counts()
    for method, path, body in (
        ("GET", site, None), ("PATCH", site, {"name": "x"}), ("DELETE", site, None),
        ("GET", sector, None), ("PATCH", sector, {"name": "x"}), ("DELETE", sector, None),
        ("GET", f"/api/v1/auth/sectors/?site_id={team.other_site['id']}", None),
        ("POST", "/api/v1/auth/sectors/", {"site_id": team.other_site["id"], "name": "x"}),
    ):
        # A viewer's write is refused for its role before anything is looked up (the same 403
        # whether the site exists or not, so it tells nothing either).
        expected = 403 if role == "viewer" and method != "GET" else 404
        gw.fail(gw.call(method, path, member, json=body), expected)
    assert db.counts() == before


def test_a_grant_opens_the_site_and_revoking_closes_it(gw, team) -> None:
    other = f"/api/v1/auth/sites/{team.other_site['id']}/"
    gw.fail(gw.call("GET", other, team.editor), 404)
    grant = gw.grant(team.owner, team.other_site["id"], team.editor.id)
    assert gw.ok(gw.call("GET", other, team.editor))["id"] == team.other_site["id"]
    gw.ok(gw.call("DELETE", f"/api/v1/auth/site-access/{grant['id']}/", team.admin))
    gw.fail(gw.call("GET", other, team.editor), 404)


def test_viewer_cannot_write_even_on_a_granted_site(gw, db, team) -> None:
    viewer = team.viewer
    site = f"/api/v1/auth/sites/{team.granted_site['id']}/"
    sector = f"/api/v1/auth/sectors/{team.granted_sector['id']}/"
    before = db.counts()
    for method, path, body in (
        ("POST", "/api/v1/auth/sites/", {"name": "Mine"}),
        ("PATCH", site, {"name": "Mine"}),
        ("DELETE", site, None),
        ("POST", "/api/v1/auth/sectors/", {"site_id": team.granted_site["id"], "name": "Mine"}),
        ("PATCH", sector, {"is_active": False}),
        ("DELETE", sector, None),
        ("POST", "/api/v1/auth/site-access/", {"site_id": team.other_site["id"],
                                               "user_id": viewer.id}),
        ("DELETE", f"/api/v1/auth/site-access/{team.viewer_grant['id']}/", None),
        ("POST", "/api/v1/auth/users/", {"email": gw.unique_email(), "password": gw.password,
                                         "role": "viewer"}),
        ("DELETE", f"/api/v1/auth/users/{team.editor.id}/", None),
    ):
        gw.fail(gw.call(method, path, viewer, json=body), 403)
    assert db.counts() == before


def test_without_grants_an_editor_sees_no_site(gw, team) -> None:
    newcomer = gw.add_member(team.owner, "editor")
    for resource in ("sites", "sectors", "site-access"):
        listing = gw.listing(gw.call("GET", f"/api/v1/auth/{resource}/", newcomer))
        assert (listing["count"], listing["results"]) == (0, []), resource


def test_lists_are_paginated(gw, team) -> None:
    gw.create_site(team.owner, "Third")
    first = gw.listing(gw.call("GET", "/api/v1/auth/sites/?page_size=2", team.owner))
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    second = gw.listing(gw.call("GET", first["next"], team.owner))
    assert (len(second["results"]), second["next"]) == (1, None)
    assert second["previous"] is not None
    names = [s["name"] for s in first["results"] + second["results"]]
    assert names == ["Granted", "Other", "Third"]
