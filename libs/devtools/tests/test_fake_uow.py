"""The in-memory unit of work keeps what a transaction emitted only once it commits."""

from __future__ import annotations

import uuid

from igny8_contracts import Envelope
from igny8_contracts.identity import AccountCreated
from igny8_devtools.fake_uow import FakeUnitOfWork


def _created() -> AccountCreated:
    return AccountCreated(account_id=uuid.uuid4(), name="Acme", owner_user_id=uuid.uuid4(),
                          owner_email="o@example.com", plan_slug="free")


async def test_events_count_only_once_committed() -> None:
    uow = FakeUnitOfWork("gateway")
    kept, dropped = _created(), _created()
    async with uow:
        uow.emit(kept, account_id=kept.account_id)
        await uow.commit()
    async with uow:
        uow.emit(dropped, account_id=dropped.account_id)
    assert uow.committed_events == [kept]
    assert uow.commits == 1
    assert uow.committed[0].source == "igny8/gateway"


async def test_a_message_is_claimed_once_per_consumer() -> None:
    uow = FakeUnitOfWork()
    envelope = Envelope.wrap(_created(), source="t", correlation_id="c")
    assert await uow.claim_message("billing--open", envelope)
    assert not await uow.claim_message("billing--open", envelope)
    assert await uow.claim_message("other--open", envelope)
