"""Billing SIGKILLed after committing a settlement and before acking it: after a restart the
redelivered usage event is recognised, and the reservation is charged once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from igny8_contracts.billing import ReserveCredits
from igny8_contracts.usage import PlannerAiUsageRecorded
from igny8_devtools.testing.processes import ServiceProcess

pytestmark = pytest.mark.integration

FAST_REDELIVERY = {"IGNY8_CONSUMER_ACK_WAIT_SECONDS": "2"}


async def test_billing_killed_after_commit_before_ack_settles_once(
    billing_url: str, bus, checked_ledger, service_process: Callable[..., ServiceProcess]
) -> None:
    opener = service_process("billing", FAST_REDELIVERY)
    account_id = await bus.open_account()
    reservation = await bus.ask(ReserveCredits(
        account_id=account_id, reservation_key="ideas-1", operation_type="ideas",
        max_quantity=10), account_id)
    assert reservation.ok and reservation.data["credits_held"] == 30
    opener.terminate()

    doomed = service_process("billing", {**FAST_REDELIVERY,
                                         "IGNY8_FAILPOINTS": "consumer.after_commit"})
    await bus.publish(PlannerAiUsageRecorded(
        operation_id="ideas-op", reservation_key="ideas-1", account_id=account_id,
        operation_type="ideas", quantity=4), account_id)
    deadline = time.monotonic() + 30
    while doomed.is_running and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert doomed.returncode == -9, "billing should have SIGKILLed itself after committing"
    assert checked_ledger.transactions(account_id, "usage") == 1, "committed before the kill"

    revived = service_process("billing", FAST_REDELIVERY)
    await bus.drained("PLANNER_EVENTS", "billing--settle-planner-usage")
    revived.terminate()
    assert "duplicate delivery skipped" in revived.log_tail(400)
    assert checked_ledger.transactions(account_id, "usage") == 1
    assert checked_ledger.pool(account_id, "plan") == 88  # 4 ideas x 3 credits
    assert checked_ledger.hold_status(account_id, "ideas-1") == "captured"
