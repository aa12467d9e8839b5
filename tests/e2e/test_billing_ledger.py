"""The billing API through the gateway: balance (both pools, holds, period), ledger, usage,
plans; plan changes by owners only; credit grants by developers only, with a reason; every
endpoint scoped to the caller's account."""

from __future__ import annotations

import uuid

import nats
import pytest

from igny8_contracts import Envelope, QueryResult
from igny8_contracts.billing import ReserveCredits
from igny8_contracts.usage import WriterAiUsageRecorded
from tests.e2e.billing_fixtures import assert_ledger_invariants, make_developer, pool_sum

pytestmark = pytest.mark.e2e

READS = ("balance/", "transactions/", "usage/", "plans/")


@pytest.fixture(autouse=True)
def ledger_stays_sound(db):
    yield
    assert_ledger_invariants(db)


def balance_of(gw, member) -> dict:
    return gw.wait_for(lambda: (r := gw.call("GET", "/api/v1/billing/balance/", member))
                       .status_code == 200 and r.json()["data"], timeout=15)


def test_balance_shows_both_pools_holds_and_period(gw, db) -> None:
    owner = gw.register()
    data = balance_of(gw, owner)
    assert (data["plan_slug"], data["plan_credits"], data["bonus_credits"]) == ("free", 100, 0)
    assert (data["held_credits"], data["open_holds"], data["available_credits"]) == (0, 0, 100)
    assert data["period_start"] < data["period_end"]
    assert data["total_credits"] == pool_sum(db, owner.account_id, "plan")


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_every_role_reads_its_accounts_billing(gw, module_team, role) -> None:
    member = module_team.member(role)
    balance_of(gw, member)
    for path in READS:
        response = gw.call("GET", f"/api/v1/billing/{path}", member)
        assert response.status_code == 200, (path, response.text)


def test_transactions_are_paginated_and_filtered(gw) -> None:
    owner = gw.register()
    balance_of(gw, owner)
    listing = gw.listing(gw.call("GET", "/api/v1/billing/transactions/?page_size=1", owner))
    assert listing["count"] == 1 and listing["next"] is None
    grant = listing["results"][0]
    assert (grant["kind"], grant["plan_delta"], grant["bonus_delta"]) == ("plan_grant", 100, 0)
    none = gw.listing(gw.call("GET", "/api/v1/billing/transactions/?kind=usage", owner))
    assert none["count"] == 0
    gw.fail(gw.call("GET", "/api/v1/billing/transactions/?page=0", owner), 400)


def test_plans_lists_the_seeded_catalogue(gw, module_team) -> None:
    listing = gw.listing(gw.call("GET", "/api/v1/billing/plans/", module_team.viewer))
    credits = {p["slug"]: p["monthly_credits"] for p in listing["results"]}
    assert credits == {"free": 100, "starter": 1000, "growth": 2000, "scale": 5000}


def test_only_owners_change_the_plan_and_it_applies_at_once(gw, team) -> None:
    balance_of(gw, team.owner)
    for role in ("admin", "editor", "viewer"):
        gw.fail(gw.call("POST", "/api/v1/billing/plan/", team.member(role),
                        json={"plan_slug": "starter"}), 403)
    changed = gw.ok(gw.call("POST", "/api/v1/billing/plan/", team.owner,
                            json={"plan_slug": "starter"}))
    assert (changed["plan_slug"], changed["plan_credits"]) == ("starter", 1000)
    # The gateway's limits follow billing's AccountPlanChanged (starter: 5 sites).
    for n in range(3):
        gw.wait_for(lambda n=n: gw.call("POST", "/api/v1/auth/sites/", team.owner,
                                        json={"name": f"More {n}"}).status_code == 201,
                    timeout=15)


@pytest.mark.parametrize(("body", "field"), [
    ({"plan_slug": "platinum"}, "plan_slug"), ({}, "plan_slug"), ({"plan_slug": ""}, "plan_slug"),
])
def test_unknown_or_missing_plan_is_400(gw, body, field) -> None:
    owner = gw.register()
    balance_of(gw, owner)
    failure = gw.fail(gw.call("POST", "/api/v1/billing/plan/", owner, json=body), 400)
    assert field in failure["errors"]


def test_only_developers_grant_credits_with_an_audited_reason(gw, db, team) -> None:
    developer = make_developer(gw, db, team.owner)
    balance_of(gw, team.owner)
    for role in ("owner", "admin", "editor", "viewer"):
        gw.fail(gw.call("POST", "/api/v1/billing/credits/adjust/", team.member(role),
                        json={"amount": 50, "reason": "goodwill"}), 403)
    granted = gw.ok(gw.call("POST", "/api/v1/billing/credits/adjust/", developer,
                            json={"amount": 50, "reason": "goodwill"}), 201)
    assert (granted["bonus_delta"], granted["created_by"]) == (50, developer.id)
    assert balance_of(gw, team.viewer)["bonus_credits"] == 50
    listing = gw.listing(gw.call("GET", "/api/v1/billing/transactions/?kind=adjustment",
                                 team.viewer))
    assert [t["reason"] for t in listing["results"]] == ["goodwill"]


@pytest.mark.parametrize(("body", "field"), [
    ({"amount": 0, "reason": "nothing"}, "amount"),
    ({"amount": 10}, "reason"),
    ({"amount": 10, "reason": ""}, "reason"),
    ({"amount": -500, "reason": "take back more than there is"}, "amount"),
    ({"amount": 10, "reason": "x", "pool": "gold"}, "pool"),
])
def test_bad_adjustments_are_400_and_write_nothing(gw, db, body, field) -> None:
    owner = gw.register()
    developer = make_developer(gw, db, owner)
    balance_of(gw, owner)
    failure = gw.fail(gw.call("POST", "/api/v1/billing/credits/adjust/", developer,
                              json=body), 400)
    assert field in failure["errors"], failure
    assert balance_of(gw, owner)["total_credits"] == 100


def test_billing_endpoints_never_show_another_account(gw, db) -> None:
    ours, theirs = gw.register("ours"), gw.register("theirs")
    developer = make_developer(gw, db, theirs)
    balance_of(gw, ours)
    balance_of(gw, theirs)
    gw.ok(gw.call("POST", "/api/v1/billing/credits/adjust/", developer,
                  json={"amount": 7, "reason": "theirs only"}), 201)
    assert balance_of(gw, ours)["bonus_credits"] == 0
    listing = gw.listing(gw.call("GET", "/api/v1/billing/transactions/", ours))
    assert [t["kind"] for t in listing["results"]] == ["plan_grant"]
    assert balance_of(gw, ours)["account_id"] == ours.account_id
    # A foreign id in a query string is ignored: the account always comes from the token.
    other = gw.call("GET", f"/api/v1/billing/balance/?account_id={theirs.account_id}", ours)
    assert gw.ok(other)["account_id"] == ours.account_id


async def test_usage_is_aggregated_per_operation_and_day(gw, nats_url) -> None:
    owner = gw.register()
    balance_of(gw, owner)
    account_id = uuid.UUID(owner.account_id)
    nc = await nats.connect(nats_url)
    try:
        reserve = ReserveCredits(account_id=account_id, reservation_key="article",
                                 operation_type="content", max_quantity=2000)
        envelope = Envelope.wrap(reserve, source="igny8/writer", correlation_id="c",
                                 account_id=account_id)
        reply = await nc.request(reserve.subject(), envelope.model_dump_json().encode(),
                                 timeout=10)
        assert QueryResult.model_validate_json(reply.data).ok
        assert balance_of(gw, owner)["held_credits"] == 4
        usage = WriterAiUsageRecorded(operation_id="op", reservation_key="article",
                                      account_id=account_id, operation_type="content",
                                      quantity=1100)
        event = Envelope.wrap(usage, source="igny8/writer", correlation_id="c",
                              account_id=account_id)
        await nc.jetstream().publish(usage.subject(), event.model_dump_json().encode(),
                                     headers={"Nats-Msg-Id": str(event.id)})
    finally:
        await nc.drain()
    report = gw.wait_for(lambda: (gw.ok(gw.call("GET", "/api/v1/billing/usage/", owner))
                                  .get("by_operation")), timeout=15)
    assert report == [{"operation_type": "content", "operations": 1, "quantity": 1100,
                       "credits": 3}]
    data = gw.ok(gw.call("GET", "/api/v1/billing/usage/", owner))
    assert [(d["operation_type"], d["credits"]) for d in data["by_day"]] == [("content", 3)]
    after = balance_of(gw, owner)
    assert (after["plan_credits"], after["held_credits"]) == (97, 0)
    gw.fail(gw.call("GET", "/api/v1/billing/usage/?since=2026-02-01&until=2026-01-01", owner),
            400)
