"""A second account gets 404 for every identity object of the first, by id, for read, update
and delete, and can neither use nor see them anywhere else."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import changed_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def intruder(module_team, api):
    """The owner of another account (an owner: the role that sees the most)."""
    response = api.post("/api/v1/auth/register/", json={
        "email": f"intruder-{module_team.owner.id[:8]}@example.com",
        "password": "Correct-Horse-42!", "account_name": "Intruders"})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['data']['access']}"}


def _objects(team) -> dict[str, str]:
    return {
        "users": team.editor.id,
        "sites": team.granted_site["id"],
        "sectors": team.granted_sector["id"],
        "site-access": team.editor_grant["id"],
    }


UPDATES = {
    "users": {"role": "viewer"},
    "sites": {"name": "Taken"},
    "sectors": {"name": "Taken"},
}


@pytest.mark.parametrize("resource", ["users", "sites", "sectors", "site-access"])
def test_foreign_objects_are_not_found(gw, db, module_team, intruder, resource: str) -> None:
    path = f"/api/v1/auth/{resource}/{_objects(module_team)[resource]}/"
    before = db.contents()
    gw.fail(gw.call("GET", path, headers=intruder), 404)
    if resource in UPDATES:
        gw.fail(gw.call("PATCH", path, headers=intruder, json=UPDATES[resource]), 404)
    gw.fail(gw.call("DELETE", path, headers=intruder), 404)
    assert changed_rows(before, db.contents()) == {}
    # ...and it is all still there for its own account.
    gw.ok(gw.call("GET", path, module_team.owner))


def test_foreign_objects_cannot_be_referenced(gw, db, module_team, intruder) -> None:
    team = module_team
    own_site = gw.ok(gw.call("POST", "/api/v1/auth/sites/", headers=intruder,
                             json={"name": "Intruder site"}), 201)
    me = gw.ok(gw.call("GET", "/api/v1/auth/me/", headers=intruder))
    before = db.contents()
    for body in (
        {"site_id": team.granted_site["id"], "user_id": me["id"]},  # their site
        {"site_id": own_site["id"], "user_id": team.viewer.id},     # their user
    ):
        gw.fail(gw.call("POST", "/api/v1/auth/site-access/", headers=intruder, json=body), 404)
    gw.fail(gw.call("POST", "/api/v1/auth/sectors/", headers=intruder,
                    json={"site_id": team.granted_site["id"], "name": "Taken"}), 404)
    gw.fail(gw.call("GET", f"/api/v1/auth/sectors/?site_id={team.granted_site['id']}",
                    headers=intruder), 404)
    assert changed_rows(before, db.contents()) == {}


def test_lists_hold_only_the_callers_account(gw, db, module_team, intruder) -> None:
    foreign = {module_team.owner.id, module_team.editor.id, module_team.granted_site["id"],
               module_team.granted_sector["id"], module_team.editor_grant["id"]}
    me = gw.ok(gw.call("GET", "/api/v1/auth/me/", headers=intruder))
    own_site = gw.ok(gw.call("POST", "/api/v1/auth/sites/", headers=intruder,
                             json={"name": "Listed site"}), 201)
    gw.ok(gw.call("POST", "/api/v1/auth/sectors/", headers=intruder,
                  json={"site_id": own_site["id"], "name": "Listed sector"}), 201)
    tables = {"users": "users", "sites": "sites", "sectors": "sectors",
              "site-access": "site_access"}
    for resource, table in tables.items():
        listing = gw.listing(gw.call("GET", f"/api/v1/auth/{resource}/", headers=intruder))
        listed = {item["id"] for item in listing["results"]}
        assert not foreign & listed, resource
        # exactly the intruder's own account's objects (and there are some to list)
        owned = {str(i) for i in db.scalars(
            f"SELECT id FROM gateway.{table} WHERE account_id = :a", a=me["account_id"])}
        assert listed == owned and listing["count"] == len(owned), resource
    assert {item["id"] for item in gw.listing(gw.call(
        "GET", "/api/v1/auth/users/", headers=intruder))["results"]} == {me["id"]}
