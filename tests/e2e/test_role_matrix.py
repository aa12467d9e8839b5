"""The role matrix through the HTTP API: owner, admin, editor and viewer, each doing list,
create, read, update and delete of users, sites, sectors and site access in their account.

The editor and the viewer were granted the team's first site only; every request below
targets objects they can see (what they cannot see is in test_site_visibility.py).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.conftest import changed_rows

pytestmark = pytest.mark.e2e

ROLES = ("owner", "admin", "editor", "viewer")

#                                   owner admin editor viewer
EXPECTED: dict[tuple[str, str], tuple[int, int, int, int]] = {
    ("users", "list"):             (200, 200, 403, 403),
    ("users", "create"):           (201, 201, 403, 403),
    ("users", "read"):             (200, 200, 403, 403),
    ("users", "update"):           (200, 200, 403, 403),
    ("users", "delete"):           (200, 200, 403, 403),
    ("sites", "list"):             (200, 200, 200, 200),
    ("sites", "create"):           (201, 201, 403, 403),
    ("sites", "read"):             (200, 200, 200, 200),
    ("sites", "update"):           (200, 200, 403, 403),
    ("sites", "delete"):           (200, 200, 403, 403),
    ("sectors", "list"):           (200, 200, 200, 200),
    ("sectors", "create"):         (201, 201, 403, 403),
    ("sectors", "read"):           (200, 200, 200, 200),
    ("sectors", "update"):         (200, 200, 403, 403),
    ("sectors", "delete"):         (200, 200, 403, 403),
    ("site-access", "list"):       (200, 200, 200, 200),
    ("site-access", "create"):     (201, 201, 403, 403),
    # Everyone reads their own grant; the viewer asks for the editor's here.
    ("site-access", "read"):       (200, 200, 200, 404),
    # A grant is given or revoked, never edited.
    ("site-access", "update"):     (405, 405, 405, 405),
    ("site-access", "delete"):     (200, 200, 403, 403),
}

WRITES = ("create", "update", "delete")


def _someone_else(team, role: str):
    """Another member of the team to act upon (never the actor, never the owner)."""
    return team.editor if role == "viewer" else team.viewer


def _request(team, gw, resource: str, action: str, role: str) -> tuple[str, str, Any]:
    """(method, path, json body) of ``action`` on ``resource`` as ``role``."""
    base = f"/api/v1/auth/{resource}/"
    target: dict[str, str] = {
        "users": _someone_else(team, role).id,
        "sites": team.granted_site["id"],
        "sectors": team.granted_sector["id"],
        "site-access": team.editor_grant["id"] if action == "read" else team.viewer_grant["id"],
    }
    new_body: dict[str, Any] = {
        "users": {"email": gw.unique_email("new"), "password": gw.password, "role": "viewer"},
        "sites": {"name": "New site", "domain": "new.example.com"},
        "sectors": {"site_id": team.granted_site["id"], "name": f"New {uuid.uuid4().hex[:6]}"},
        "site-access": {"site_id": team.other_site["id"], "user_id": team.editor.id},
    }
    changes: dict[str, Any] = {
        "users": {"role": "editor" if role != "viewer" else "viewer"},
        "sites": {"name": "Renamed"},
        "sectors": {"name": "Renamed sector"},
        "site-access": {"site_id": team.other_site["id"]},
    }
    item = f"{base}{target[resource]}/"
    return {
        "list": ("GET", base, None),
        "create": ("POST", base, new_body[resource]),
        "read": ("GET", item, None),
        "update": ("PATCH", item, changes[resource]),
        "delete": ("DELETE", item, None),
    }[action]


def _listed(team, resource: str, role: str) -> set[str]:
    """The ids ``role`` sees listed: owners and admins everything of the account; editors and
    viewers the site they were granted, its sector and their own grant."""
    everything = role in ("owner", "admin")
    return {
        "users": {team.member(r).id for r in ROLES},
        "sites": {team.granted_site["id"]} | ({team.other_site["id"]} if everything else set()),
        "sectors": {team.granted_sector["id"]}
        | ({team.other_sector["id"]} if everything else set()),
        "site-access": {team.editor_grant["id"], team.viewer_grant["id"]} if everything
        else {(team.editor_grant if role == "editor" else team.viewer_grant)["id"]},
    }[resource]


def _check(gw, db, team, resource: str, action: str, role: str) -> None:
    expected = EXPECTED[(resource, action)][ROLES.index(role)]
    method, path, body = _request(team, gw, resource, action, role)
    before = db.contents()
    response = gw.call(method, path, team.member(role), json=body)
    if expected >= 400:
        gw.fail(response, expected)
        assert changed_rows(before, db.contents()) == {}, "a refused request must not write"
    elif action == "list":
        listing = gw.listing(response)
        listed = [item["id"] for item in listing["results"]]
        assert listing["count"] == len(listed)
        assert sorted(listed) == sorted(_listed(team, resource, role))
    else:
        gw.ok(response, expected)
        if action in WRITES:
            assert len(db.contents()["outbox"]) > len(before["outbox"]), \
                "a change must emit its event"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", ["users", "sites", "sectors", "site-access"])
@pytest.mark.parametrize("action", ["list", "read"])
def test_reads(gw, db, module_team, resource: str, action: str, role: str) -> None:
    _check(gw, db, module_team, resource, action, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", ["users", "sites", "sectors", "site-access"])
@pytest.mark.parametrize("action", WRITES)
def test_writes(gw, db, team, resource: str, action: str, role: str) -> None:
    _check(gw, db, team, resource, action, role)


def test_writes_take_effect(gw, team) -> None:
    """The matrix's 2xx answers are real changes, read back."""
    owner = team.owner
    site_path = f"/api/v1/auth/sites/{team.granted_site['id']}/"
    gw.ok(gw.call("PATCH", site_path, owner, json={"name": "Renamed", "domain": None}))
    site = gw.ok(gw.call("GET", site_path, owner))
    assert (site["name"], site["domain"]) == ("Renamed", None)

    gw.ok(gw.call("PATCH", f"/api/v1/auth/users/{team.viewer.id}/", owner, json={"role": "editor"}))
    assert gw.ok(gw.call("GET", "/api/v1/auth/me/", team.viewer))["role"] == "editor"

    gw.ok(gw.call("DELETE", f"/api/v1/auth/sectors/{team.granted_sector['id']}/", owner))
    gw.fail(gw.call("GET", f"/api/v1/auth/sectors/{team.granted_sector['id']}/", owner), 404)

    gw.ok(gw.call("DELETE", f"/api/v1/auth/site-access/{team.editor_grant['id']}/", owner))
    gw.fail(gw.call("GET", site_path, team.editor), 404)

    gw.ok(gw.call("DELETE", site_path, owner))
    gw.fail(gw.call("GET", site_path, owner), 404)
    gw.fail(gw.call("GET", f"/api/v1/auth/site-access/{team.viewer_grant['id']}/", owner), 404)


def test_everyone_edits_their_own_name_but_not_their_own_role(gw, team) -> None:
    for role in ROLES:
        member = team.member(role)
        path = f"/api/v1/auth/users/{member.id}/"
        assert gw.ok(gw.call("PATCH", path, member, json={"first_name": role.title()}))[
            "first_name"] == role.title()
        assert gw.ok(gw.call("GET", path, member))["id"] == member.id
        other_role = "viewer" if role != "viewer" else "editor"
        gw.fail(gw.call("PATCH", path, member, json={"role": other_role}), 403)
        gw.fail(gw.call("DELETE", path, member), 403)


def test_admins_cannot_touch_owners_or_make_owners(gw, db, team) -> None:
    admin, owner = team.admin, team.owner
    before = db.contents()
    gw.fail(gw.call("PATCH", f"/api/v1/auth/users/{owner.id}/", admin,
                    json={"role": "viewer"}), 403)
    gw.fail(gw.call("DELETE", f"/api/v1/auth/users/{owner.id}/", admin), 403)
    gw.fail(gw.call("PATCH", f"/api/v1/auth/users/{team.viewer.id}/", admin,
                    json={"role": "owner"}), 403)
    gw.fail(gw.call("POST", "/api/v1/auth/users/", admin, json={
        "email": gw.unique_email(), "password": gw.password, "role": "owner"}), 403)
    assert changed_rows(before, db.contents()) == {}
    # An owner can make another owner; system roles are never given through the API.
    gw.ok(gw.call("PATCH", f"/api/v1/auth/users/{admin.id}/", owner, json={"role": "owner"}))
    gw.fail(gw.call("POST", "/api/v1/auth/users/", owner, json={
        "email": gw.unique_email(), "password": gw.password, "role": "developer"}), 403)


def test_only_editors_and_viewers_are_granted_sites(gw, team) -> None:
    body = gw.fail(gw.call("POST", "/api/v1/auth/site-access/", team.owner, json={
        "site_id": team.other_site["id"], "user_id": team.admin.id}), 400)
    assert "user_id" in body["errors"]
    gw.fail(gw.call("POST", "/api/v1/auth/site-access/", team.owner, json={
        "site_id": team.granted_site["id"], "user_id": team.editor.id}), 409)
