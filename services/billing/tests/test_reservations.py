"""Reserving credits over request/reply: never more than the balance, however many reserve at
once; idempotent by key; released when never settled. Billing runs as a real process."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator

import pytest

from igny8_contracts.billing import GetBalanceDetails, ReleaseReservation, ReserveCredits
from igny8_devtools.testing.processes import ServiceProcess

pytestmark = pytest.mark.integration

FAST_JOBS = {"IGNY8_BILLING_HOLD_EXPIRY_INTERVAL_SECONDS": "0.3"}


@pytest.fixture(scope="module")
def billing(
    billing_url: str, service_process: Callable[..., ServiceProcess]
) -> Iterator[ServiceProcess]:
    # Stopped with the module: the crash tests need to be the only billing consuming.
    process = service_process("billing", FAST_JOBS)
    yield process
    process.terminate()


def reserve(account_id: uuid.UUID, key: str, credits: int, ttl: int = 900) -> ReserveCredits:
    return ReserveCredits(account_id=account_id, reservation_key=key, operation_type="content",
                          max_credits=credits, ttl_seconds=ttl)


async def test_200_concurrent_reservations_on_credits_for_50_grant_exactly_50(
    billing, bus, checked_ledger
) -> None:
    account_id = await bus.open_account()  # 100 credits; each reservation holds 2
    results = await asyncio.gather(*(
        bus.ask(reserve(account_id, f"op-{i}", 2), account_id, timeout=60) for i in range(200)))
    granted = [r for r in results if r.ok]
    refused = [r for r in results if not r.ok]
    assert len(granted) == 50
    assert all(r.error is not None and r.error.status == 402 for r in refused)
    assert refused[0].error is not None and refused[0].error.errors == {
        "available": ["0"], "cost": ["2"], "balance": ["100"]}
    details = (await bus.ask(GetBalanceDetails(account_id=account_id), account_id)).data
    assert (details["held_credits"], details["available_credits"], details["open_holds"]) == (
        100, 0, 50)


async def test_the_same_key_answers_the_same_reservation(billing, bus, checked_ledger) -> None:
    account_id = await bus.open_account()
    first = await bus.ask(reserve(account_id, "same", 30), account_id)
    again = await bus.ask(reserve(account_id, "same", 30), account_id)
    assert first.ok and again.ok
    assert first.data["id"] == again.data["id"]
    details = (await bus.ask(GetBalanceDetails(account_id=account_id), account_id)).data
    assert details["held_credits"] == 30 and details["available_credits"] == 70


async def test_reservation_left_open_past_its_timeout_is_released(
    billing, bus, checked_ledger
) -> None:
    account_id = await bus.open_account()
    held = await bus.ask(reserve(account_id, "crashed-worker", 80, ttl=1), account_id)
    assert held.ok and held.data["available_after"] == 20
    for _ in range(100):
        details = (await bus.ask(GetBalanceDetails(account_id=account_id), account_id)).data
        if details["held_credits"] == 0:
            break
        await asyncio.sleep(0.1)
    assert details["available_credits"] == 100
    assert checked_ledger.hold_status(account_id, "crashed-worker") == "expired"
    assert checked_ledger.pool(account_id, "plan") == 100, "an expired hold costs nothing"


async def test_release_gives_the_credits_back(billing, bus, checked_ledger) -> None:
    account_id = await bus.open_account()
    assert (await bus.ask(reserve(account_id, "r", 60), account_id)).ok
    released = await bus.ask(ReleaseReservation(account_id=account_id, reservation_key="r"),
                             account_id)
    assert released.ok and released.data["status"] == "released"
    assert released.data["available_after"] == 100


@pytest.mark.parametrize("payload", [
    {"max_credits": 0}, {"max_credits": -5}, {"max_quantity": -1},
    {"max_quantity": 1, "max_credits": 1}, {},
])
async def test_bad_amounts_are_refused_with_400(billing, bus, payload) -> None:
    account_id = await bus.open_account()
    body = {"account_id": account_id, "reservation_key": "k", "operation_type": "content",
            **payload}
    # Built without validation, as a misbehaving caller would send it.
    result = await bus.ask(ReserveCredits.model_construct(**body), account_id)
    assert not result.ok and result.error is not None and result.error.status == 400


async def test_unknown_operation_type_is_refused(billing, bus, checked_ledger) -> None:
    account_id = await bus.open_account()
    result = await bus.ask(ReserveCredits(account_id=account_id, reservation_key="k",
                                          operation_type="teleport", max_quantity=1), account_id)
    assert result.error is not None and result.error.status == 400
    assert "teleport" in result.error.message


async def test_local_clustering_reserves_nothing(billing, bus, checked_ledger) -> None:
    account_id = await bus.open_account()
    result = await bus.ask(ReserveCredits(account_id=account_id, reservation_key="k",
                                          operation_type="clustering_local", max_quantity=500),
                           account_id)
    assert result.ok and result.data["credits_held"] == 0


async def test_another_accounts_reservation_is_not_found(billing, bus) -> None:
    mine, theirs = await bus.open_account(), await bus.open_account()
    result = await bus.ask(reserve(theirs, "k", 1), mine)
    assert result.error is not None and result.error.status == 404
