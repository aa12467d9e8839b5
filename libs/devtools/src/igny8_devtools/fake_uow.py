"""An in-memory unit of work for fast unit tests of a service layer (no PostgreSQL, no NATS).

A service's fake subclasses both this and the service's real unit of work, so the service
layer's type hints hold, and gives it in-memory repositories::

    class FakeBillingUnitOfWork(FakeUnitOfWork, BillingUnitOfWork):
        def __init__(self) -> None:
            super().__init__("billing")
            self.billing = FakeBillingRepository()

    async def test_...() -> None:
        uow = FakeBillingUnitOfWork()
        await handlers.open_balance(event, uow)
        assert uow.committed_events == [CreditBalanceOpened(...)]

Leaving the block without ``commit()`` drops the pending events, as the real one does; the
repositories' state is the fake's own business (they usually keep it, like a database would
keep rows a test set up).
"""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Any, Self

from igny8_contracts import Envelope, Message
from igny8_runtime.uow import UnitOfWork


class FakeUnitOfWork(UnitOfWork):
    def __init__(self, source: str = "fake", *, read_only: bool = False, **_: Any) -> None:
        self.source = source
        self.read_only = read_only
        self._pending: list[Envelope] = []
        self._messages: dict[uuid.UUID, Message] = {}
        self.committed: list[Envelope] = []
        self.commits = 0
        self.claimed: set[tuple[str, uuid.UUID]] = set()

    @property
    def committed_events(self) -> list[Message]:
        """What the committed transactions emitted, as contract messages (in order)."""
        return [self._messages[envelope.id] for envelope in self.committed]

    async def __aenter__(self) -> Self:
        self._pending = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pending = []

    def emit(self, message: Message, *, account_id: uuid.UUID | None = None) -> Envelope:
        envelope = super().emit(message, account_id=account_id)
        self._messages[envelope.id] = message
        return envelope

    async def claim_message(self, consumer: str, envelope: Envelope) -> bool:
        key = (consumer, envelope.id)
        if key in self.claimed:
            return False
        self.claimed.add(key)
        return True

    async def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self.committed.extend(self._pending)
        self._pending = []
        self.commits += 1

    async def rollback(self) -> None:
        self._pending = []
