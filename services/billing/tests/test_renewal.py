"""Period renewal resets plan credits exactly once per period, however often the job runs and
however many billing replicas race to run it (run in-process against real PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from igny8_billing.adapters.orm import inbox, outbox
from igny8_billing.domain.holds import Hold, HoldStatus
from igny8_billing.service_layer import handlers
from igny8_billing.service_layer.periods import renew_due_accounts
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_contracts.identity import AccountCreated
from igny8_devtools.testing import ServiceProcess
from igny8_runtime.db import Database

pytestmark = pytest.mark.integration


@pytest.fixture
async def new_uow(billing_url: str) -> AsyncIterator[Callable[[], BillingUnitOfWork]]:
    db = Database.connect(billing_url, "billing")
    yield lambda: BillingUnitOfWork(db, outbox, inbox, "billing")
    await db.dispose()


async def open_account(new_uow: Callable[[], BillingUnitOfWork]) -> uuid.UUID:
    account_id = uuid.uuid4()
    async with new_uow() as uow:
        await handlers.open_balance(AccountCreated(
            account_id=account_id, name="Acme", owner_user_id=uuid.uuid4(),
            owner_email="o@acme.test", plan_slug="free"), uow)
        await uow.commit()
    return account_id


def spend(ledger, account_id: uuid.UUID, credits: int) -> None:
    """Move credits from plan to usage (as a settled operation would)."""
    with ledger.engine.begin() as conn:
        tx = uuid.uuid4()
        conn.execute(text("INSERT INTO billing.ledger_transactions (id, account_id, kind, reason,"
                          " idempotency_key) VALUES (:t, :a, 'usage', 'test', :k)"),
                     {"t": tx, "a": account_id, "k": f"usage:{tx}"})
        conn.execute(text("INSERT INTO billing.ledger_entries (transaction_id, account_id, pool,"
                          " amount) VALUES (:t, :a, 'plan', :m), (:t, :a, 'system:usage', :c)"),
                     {"t": tx, "a": account_id, "m": -credits, "c": credits})


def end_period_now(ledger, account_id: uuid.UUID) -> datetime:
    ended = datetime.now(UTC) - timedelta(minutes=1)
    with ledger.engine.begin() as conn:
        conn.execute(text("UPDATE billing.credit_accounts SET period_end = :e WHERE "
                          "account_id = :a"), {"e": ended, "a": account_id})
    return ended


async def test_renewal_run_twice_and_by_racing_replicas_resets_once(
    new_uow, checked_ledger
) -> None:
    account_id = await open_account(new_uow)
    spend(checked_ledger, account_id, 70)
    ended = end_period_now(checked_ledger, account_id)
    now = datetime.now(UTC)
    # Two replicas at once, then the job again in the same period.
    raced = await asyncio.gather(renew_due_accounts(new_uow, now, 10_000),
                                 renew_due_accounts(new_uow, now, 10_000))
    again = await renew_due_accounts(new_uow, now, 10_000)
    assert checked_ledger.transactions(account_id, "renewal") == 1
    assert sum(raced) + again >= 1
    assert checked_ledger.pool(account_id, "plan") == 100, "reset to the plan's credits"
    assert checked_ledger.pool(account_id, "system:expiry") == 30, "the unused 30 expired"
    start = checked_ledger.scalar(
        "SELECT period_start FROM billing.credit_accounts WHERE account_id = :a", a=account_id)
    assert start == ended


async def test_renewal_keeps_credits_held_by_running_operations(new_uow, checked_ledger) -> None:
    account_id = await open_account(new_uow)
    async with new_uow() as uow:
        await uow.holds.add(Hold(uuid.uuid4(), account_id, "running", "content", 40,
                                 HoldStatus.OPEN, datetime.now(UTC) + timedelta(hours=1)))
        await uow.commit()
    end_period_now(checked_ledger, account_id)
    await renew_due_accounts(new_uow, datetime.now(UTC), 10_000)
    # 60 unheld credits expired; the 40 held stay so the operation's report can be paid.
    assert checked_ledger.pool(account_id, "system:expiry") == 60
    assert checked_ledger.pool(account_id, "plan") == 140


def renewal_rounds(replica: ServiceProcess) -> int:
    """How many rounds of the renewal job ``replica`` has finished (its debug log)."""
    rounds = 0
    for line in replica.log_path.read_text(errors="replace").splitlines():
        if '"periodic job ran"' in line and json.loads(line).get("job") == "renew-periods":
            rounds += 1
    return rounds


async def test_two_billing_replicas_running_the_renewal_job_reset_once(
    bus, checked_ledger, service_process
) -> None:
    fast = {"IGNY8_BILLING_RENEWAL_INTERVAL_SECONDS": "0.1", "IGNY8_LOG_LEVEL": "DEBUG"}
    first = service_process("billing", fast)
    account_id = await bus.open_account()
    spend(checked_ledger, account_id, 40)
    second = service_process("billing", fast)
    end_period_now(checked_ledger, account_id)
    for _ in range(300):
        if checked_ledger.transactions(account_id, "renewal"):
            break
        await asyncio.sleep(0.1)
    # Both replicas have since run the job through twice more (the first of those rounds may
    # have begun before the renewal was committed; the second began after it), so a second
    # renewal by either would be in the ledger now.
    after = {replica: renewal_rounds(replica) + 2 for replica in (first, second)}
    for _ in range(300):
        if all(renewal_rounds(replica) >= n for replica, n in after.items()):
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError(f"the replicas did not run the job again: {after}")
    first.terminate()
    second.terminate()
    assert checked_ledger.transactions(account_id, "renewal") == 1
    assert checked_ledger.pool(account_id, "plan") == 100
