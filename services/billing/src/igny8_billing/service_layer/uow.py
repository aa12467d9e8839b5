from __future__ import annotations

from igny8_billing.adapters.repository import BillingRepository
from igny8_runtime.uow import UnitOfWork


class BillingUnitOfWork(UnitOfWork):
    billing: BillingRepository

    async def __aenter__(self) -> BillingUnitOfWork:
        await super().__aenter__()
        self.billing = BillingRepository(self.session)
        return self
