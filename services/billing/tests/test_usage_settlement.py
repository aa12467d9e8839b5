"""Usage events settle their reservation exactly once: redelivered, re-sent, or with billing
killed between its commit and its ack. What can never settle is dead-lettered with a reason."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from igny8_contracts.billing import GetBalanceDetails, ReserveCredits
from igny8_contracts.usage import WriterAiUsageRecorded
from igny8_devtools.testing.processes import ServiceProcess

pytestmark = pytest.mark.integration

WRITER = ("WRITER_EVENTS", "billing--settle-writer-usage")
FAST_REDELIVERY = {"IGNY8_CONSUMER_ACK_WAIT_SECONDS": "2"}


@pytest.fixture(scope="module")
def billing(
    billing_url: str, service_process: Callable[..., ServiceProcess]
) -> Iterator[ServiceProcess]:
    # Stopped with the module: the crash tests need to be the only billing consuming.
    process = service_process("billing", FAST_REDELIVERY)
    yield process
    process.terminate()


async def reserved(bus, account_id: uuid.UUID, key: str, operation_type: str,
                   max_quantity: int) -> int:
    result = await bus.ask(ReserveCredits(account_id=account_id, reservation_key=key,
                                          operation_type=operation_type,
                                          max_quantity=max_quantity), account_id)
    assert result.ok, result
    return int(result.data["credits_held"])


def content_usage(account_id: uuid.UUID, key: str, words: int,
                  operation_id: str = "op-1") -> WriterAiUsageRecorded:
    return WriterAiUsageRecorded(
        operation_id=operation_id, reservation_key=key, account_id=account_id,
        operation_type="content", quantity=words, provider="offline", model="offline-1",
        prompt_tokens=900, completion_tokens=2400, cost_usd="0.0123")


async def balance(bus, account_id: uuid.UUID) -> dict:
    return (await bus.ask(GetBalanceDetails(account_id=account_id), account_id)).data


async def test_the_same_usage_event_delivered_3_times_settles_once(
    billing, bus, checked_ledger
) -> None:
    account_id = await bus.open_account()
    assert await reserved(bus, account_id, "article-1", "content", 3000) == 6
    envelope = await bus.publish(content_usage(account_id, "article-1", 1200), account_id)
    # JetStream cannot dedupe these (other Nats-Msg-Ids): the inbox must.
    await bus.publish_envelope(envelope, f"{envelope.id}-again")
    await bus.publish_envelope(envelope, f"{envelope.id}-and-again")
    await bus.drained(*WRITER)
    assert checked_ledger.transactions(account_id, "usage") == 1
    assert checked_ledger.pool(account_id, "plan") == 97  # 1,200 words: 3 x 500-word blocks
    assert checked_ledger.pool(account_id, "system:usage") == 3
    details = await balance(bus, account_id)
    assert (details["total_credits"], details["held_credits"]) == (97, 0)


async def test_a_second_report_of_the_same_operation_is_not_charged_again(
    billing, bus, checked_ledger
) -> None:
    account_id = await bus.open_account()
    await reserved(bus, account_id, "article-2", "content", 1000)
    for _ in range(3):  # three distinct events (new ids) for the same operation
        await bus.publish(content_usage(account_id, "article-2", 1000), account_id)
    await bus.drained(*WRITER)
    assert checked_ledger.transactions(account_id, "usage") == 1
    assert checked_ledger.pool(account_id, "plan") == 98


@pytest.mark.parametrize(("case", "reason"), [
    ("unknown reservation", "unknown reservation"),
    ("above the hold", "exceeds the hold"),
    ("unknown operation", "unknown operation type"),
])
async def test_usage_that_can_never_settle_is_dead_lettered_with_its_reason(
    billing, bus, checked_ledger, case, reason
) -> None:
    account_id = await bus.open_account()
    await reserved(bus, account_id, "img", "image_basic", 2)
    usage = {
        "unknown reservation": {"reservation_key": "never-reserved",
                                "operation_type": "image_basic", "quantity": 1},
        "above the hold": {"reservation_key": "img", "operation_type": "image_basic",
                           "quantity": 3},
        "unknown operation": {"reservation_key": "img", "operation_type": "teleport",
                              "quantity": 1},
    }[case]
    envelope = await bus.publish(WriterAiUsageRecorded(
        operation_id=f"op-{case}", account_id=account_id, **usage), account_id)
    await bus.drained(*WRITER)
    reasons = await bus.dead_letter_reasons(WRITER[1], str(envelope.id))
    assert len(reasons) == 1 and reason in reasons[0], reasons
    assert checked_ledger.transactions(account_id, "usage") == 0
    assert checked_ledger.hold_status(account_id, "img") == "open"


async def test_a_failed_operation_releases_its_hold_without_charge(
    billing, bus, checked_ledger
) -> None:
    account_id = await bus.open_account()
    await reserved(bus, account_id, "img-2", "image_premium", 5)
    failed = content_usage(account_id, "img-2", 0).model_copy(
        update={"operation_type": "image_premium", "quantity": 5, "succeeded": False})
    await bus.publish(failed, account_id)
    await bus.drained(*WRITER)
    assert checked_ledger.hold_status(account_id, "img-2") == "captured"
    assert checked_ledger.pool(account_id, "plan") == 100
    assert (await balance(bus, account_id))["held_credits"] == 0


def emitted(ledger, subject: str, account_id: uuid.UUID) -> list[dict]:
    rows = ledger.rows("SELECT payload FROM billing.outbox WHERE subject = :s "
                       "AND payload->>'account_id' = :a", s=subject, a=str(account_id))
    return [row.payload["data"] for row in rows]


async def test_debits_announce_low_and_exhausted_credits(billing, bus, checked_ledger) -> None:
    account_id = await bus.open_account()  # 100 credits; low below 20 (the default)
    await reserved(bus, account_id, "big", "content", 42_500)
    await bus.publish(content_usage(account_id, "big", 42_500, "op-big"), account_id)  # 85
    await bus.drained(*WRITER)
    debited = emitted(checked_ledger, "evt.billing.credits.debited.v1", account_id)
    assert [(d["credits"], d["plan_credits"]) for d in debited] == [(85, 15)]
    low = emitted(checked_ledger, "evt.billing.credits.low.v1", account_id)
    assert [(d["total_credits"], d["threshold"]) for d in low] == [(15, 20)]
    assert emitted(checked_ledger, "evt.billing.credits.exhausted.v1", account_id) == []

    await reserved(bus, account_id, "rest", "content", 7_500)
    await bus.publish(content_usage(account_id, "rest", 7_500, "op-rest"), account_id)  # 15
    await bus.drained(*WRITER)
    assert len(emitted(checked_ledger, "evt.billing.credits.low.v1", account_id)) == 1
    assert len(emitted(checked_ledger, "evt.billing.credits.exhausted.v1", account_id)) == 1
    refused = await bus.ask(ReserveCredits(account_id=account_id, reservation_key="more",
                                           operation_type="content", max_quantity=1), account_id)
    assert refused.error is not None and refused.error.status == 402
