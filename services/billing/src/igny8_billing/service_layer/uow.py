from __future__ import annotations

from igny8_billing.adapters.holds_repository import HoldRepository
from igny8_billing.adapters.reports import ReportReader
from igny8_billing.adapters.repository import BillingRepository
from igny8_runtime.uow import UnitOfWork


class BillingUnitOfWork(UnitOfWork):
    billing: BillingRepository
    holds: HoldRepository
    reports: ReportReader

    async def __aenter__(self) -> BillingUnitOfWork:
        await super().__aenter__()
        self.billing = BillingRepository(self.session)
        self.holds = HoldRepository(self.session)
        self.reports = ReportReader(self.session)
        return self
