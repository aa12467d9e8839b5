"""A command the planner can never process is dead-lettered, and its operation shows as failed
through the gateway (it used to stay "running" forever)."""

from __future__ import annotations

import asyncio
import uuid

import nats
import pytest

from igny8_contracts import Envelope
from igny8_contracts.planner import GenerateIdeas
from igny8_contracts.streams import COMMANDS
from tests.e2e.planner_fixtures import finished

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]


async def send_forged(nats_url: str, command: GenerateIdeas, envelope_account: uuid.UUID) -> None:
    """The command in an envelope of another account: the planner rejects it."""
    nc = await nats.connect(nats_url)
    try:
        envelope = Envelope.wrap(command, source="igny8/e2e", correlation_id=str(uuid.uuid4()),
                                 account_id=envelope_account)
        await nc.jetstream().publish(command.subject(), envelope.model_dump_json().encode(),
                                     stream=COMMANDS.name,
                                     headers={"Nats-Msg-Id": str(envelope.id)})
    finally:
        await nc.drain()


def test_a_dead_lettered_command_fails_its_operation(gw, team, nats_url) -> None:
    operation_id = uuid.uuid4()
    command = GenerateIdeas(operation_id=operation_id, account_id=uuid.UUID(team.owner.account_id),
                            cluster_ids=[uuid.uuid4()], reservation_key=f"e2e:{operation_id}")
    asyncio.run(send_forged(nats_url, command, envelope_account=uuid.uuid4()))

    operation = finished(gw, team.owner, str(operation_id))
    assert operation["state"] == "failed", operation
    assert "rejected" in operation["error"]
    assert "operator" in operation["error"]
    gw.fail(gw.call("GET", f"/api/v1/operations/{operation_id}/", gw.register("other")), 404)
