"""What generating ideas would cost, asked before starting (``generate_ideas/estimate/``):
billing's price for the ideas that generate_ideas/ would hold, the credits available, and
whether they cover it; nothing is held. The web app shows it before the user starts."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.billing_fixtures import make_developer
from tests.e2e.idea_fixtures import GENERATE, balance, generate, make_clusters

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]

ESTIMATE = f"{GENERATE}estimate/"
PRICE_PER_IDEA = 3


def test_the_estimate_is_what_generating_holds_and_holds_nothing(gw, db, team, nats_url) -> None:
    clusters = make_clusters(gw, db, nats_url, team.owner, team.granted_sector)
    available = balance(gw, team.owner)["available_credits"]
    body = {"cluster_ids": clusters + clusters[:1], "ideas_per_cluster": 2}  # a repeat counts once
    estimate = gw.ok(gw.call("POST", ESTIMATE, team.owner, json=body))
    assert estimate == {"credits": PRICE_PER_IDEA * 2 * len(clusters),
                        "available_credits": available, "enough": True}
    assert balance(gw, team.owner)["held_credits"] == 0

    developer = make_developer(gw, db, team.owner)
    gw.ok(gw.call("POST", "/api/v1/billing/credits/adjust/", developer, json={
        "amount": -(available - 2), "reason": "leave two credits", "pool": "plan"}), 201)
    short = gw.ok(gw.call("POST", ESTIMATE, team.owner, json=body))
    assert (short["available_credits"], short["enough"]) == (2, False)
    refused = gw.fail(generate(gw, team.owner, clusters, ideas_per_cluster=2), 402)
    assert refused["errors"]["cost"] == [str(short["credits"])]
    assert refused["errors"]["available"] == [str(short["available_credits"])]


@pytest.mark.parametrize(("body", "field"), [
    ({"cluster_ids": []}, "cluster_ids"),
    ({"cluster_ids": [str(uuid.uuid4())], "ideas_per_cluster": 11}, "ideas_per_cluster"),
])
def test_bad_estimate_input_is_400(gw, module_team, body, field) -> None:
    failure = gw.fail(gw.call("POST", ESTIMATE, module_team.owner, json=body), 400)
    assert any(field in key for key in failure["errors"]), failure
