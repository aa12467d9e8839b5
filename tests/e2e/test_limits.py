"""Plan limits (sites, users) and the five active sectors per site: refused with a clear
message, nothing written, and holding under parallel requests."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import nats
import pytest

from igny8_contracts import Envelope
from igny8_contracts.billing import AccountPlanChanged, default_plan, plan_by_slug

pytestmark = pytest.mark.e2e

PLAN = default_plan()


def test_a_site_beyond_the_plan_is_refused(gw, db) -> None:
    owner = gw.register()
    for n in range(PLAN.max_sites):
        gw.create_site(owner, f"Site {n}")
    before = db.counts()
    body = gw.fail(gw.call("POST", "/api/v1/auth/sites/", owner, json={"name": "One too many"}),
                   403)
    assert f"allows {PLAN.max_sites} sites" in body["error"]
    assert db.counts() == before


def test_a_user_beyond_the_plan_is_refused(gw, db) -> None:
    owner = gw.register()
    for _ in range(PLAN.max_users - 1):  # the owner is the first user
        gw.ok(gw.call("POST", "/api/v1/auth/users/", owner, json={
            "email": gw.unique_email(), "password": gw.password, "role": "viewer"}), 201)
    before = db.counts()
    body = gw.fail(gw.call("POST", "/api/v1/auth/users/", owner, json={
        "email": gw.unique_email(), "password": gw.password, "role": "viewer"}), 403)
    assert f"allows {PLAN.max_users} users" in body["error"]
    assert db.counts() == before


def test_deactivated_sites_do_not_count_until_reactivated(gw, db) -> None:
    owner = gw.register()
    sites = [gw.create_site(owner, f"Site {n}") for n in range(PLAN.max_sites)]
    first = f"/api/v1/auth/sites/{sites[0]['id']}/"
    gw.ok(gw.call("PATCH", first, owner, json={"is_active": False}))
    gw.create_site(owner, "Replacement")
    before = db.counts()
    gw.fail(gw.call("PATCH", first, owner, json={"is_active": True}), 403)
    assert db.counts() == before
    assert gw.ok(gw.call("GET", first, owner))["is_active"] is False


def test_a_sixth_active_sector_is_refused(gw, db) -> None:
    owner = gw.register()
    site = gw.create_site(owner)
    sectors = [gw.create_sector(owner, site["id"], f"Topic {n}") for n in range(5)]
    before = db.counts()
    body = gw.fail(gw.call("POST", "/api/v1/auth/sectors/", owner,
                           json={"site_id": site["id"], "name": "Sixth"}), 403)
    assert "at most 5 active sectors" in body["error"]
    assert db.counts() == before

    # Deactivating one makes room; the deactivated one cannot come back while five are active.
    first = f"/api/v1/auth/sectors/{sectors[0]['id']}/"
    gw.ok(gw.call("PATCH", first, owner, json={"is_active": False}))
    gw.create_sector(owner, site["id"], "Sixth")
    gw.fail(gw.call("PATCH", first, owner, json={"is_active": True}), 403)
    # Another site has its own five.
    other = gw.create_site(owner, "Other")
    gw.create_sector(owner, other["id"], "Topic 0")


def test_active_sector_names_are_unique_per_site(gw, db) -> None:
    owner = gw.register()
    site = gw.create_site(owner)
    sector = gw.create_sector(owner, site["id"], "Recipes")
    before = db.counts()
    body = gw.fail(gw.call("POST", "/api/v1/auth/sectors/", owner,
                           json={"site_id": site["id"], "name": " RECIPES "}), 409)
    assert set(body["errors"]) == {"name"}
    assert db.counts() == before
    gw.ok(gw.call("PATCH", f"/api/v1/auth/sectors/{sector['id']}/", owner,
                  json={"is_active": False}))
    gw.create_sector(owner, site["id"], "Recipes")


def _in_parallel(gw, member, path: str, bodies: list[dict]) -> list[int]:
    with ThreadPoolExecutor(len(bodies)) as pool:
        responses = pool.map(lambda body: gw.call("POST", path, member, json=body), bodies)
        return sorted(r.status_code for r in responses)


def test_parallel_site_creation_cannot_pass_the_plan(gw, db) -> None:
    owner = gw.register()
    attempts = PLAN.max_sites + 5
    statuses = _in_parallel(gw, owner, "/api/v1/auth/sites/",
                            [{"name": f"Race {n}"} for n in range(attempts)])
    assert statuses == [201] * PLAN.max_sites + [403] * (attempts - PLAN.max_sites)
    assert db.scalar("SELECT count(*) FROM gateway.sites WHERE account_id = :a",
                     a=owner.account_id) == PLAN.max_sites


def test_parallel_sector_creation_cannot_pass_five(gw, db) -> None:
    owner = gw.register()
    site = gw.create_site(owner)
    statuses = _in_parallel(gw, owner, "/api/v1/auth/sectors/",
                            [{"site_id": site["id"], "name": f"Race {n}"} for n in range(10)])
    assert statuses == [201] * 5 + [403] * 5
    assert db.scalar("SELECT count(*) FROM gateway.sectors WHERE site_id = :s",
                     s=site["id"]) == 5


async def test_plan_change_from_billing_moves_the_limits(gw, nats_url) -> None:
    owner = gw.register()
    for n in range(PLAN.max_sites):
        gw.create_site(owner, f"Site {n}")
    gw.fail(gw.call("POST", "/api/v1/auth/sites/", owner, json={"name": "Extra"}), 403)

    starter = plan_by_slug("starter")
    assert starter is not None
    account_id = uuid.UUID(owner.account_id)
    event = AccountPlanChanged(account_id=account_id, plan_slug=starter.slug,
                               max_sites=starter.max_sites, max_users=starter.max_users)
    envelope = Envelope.wrap(event, source="igny8/billing", correlation_id=str(uuid.uuid4()),
                             account_id=account_id)
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().publish(envelope.subject, envelope.model_dump_json().encode(),
                                     headers={"Nats-Msg-Id": str(envelope.id)})
    finally:
        await nc.close()

    def on_new_plan() -> bool:
        me = gw.ok(gw.call("GET", "/api/v1/auth/me/", owner))
        return bool(me["account"]["plan_slug"] == starter.slug)

    gw.wait_for(on_new_plan, timeout=15)
    for n in range(starter.max_sites - PLAN.max_sites):
        gw.create_site(owner, f"Upgraded {n}")
    gw.fail(gw.call("POST", "/api/v1/auth/sites/", owner, json={"name": "Extra"}), 403)
