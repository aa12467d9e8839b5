"""The automation's unit of work: one transaction over its repositories and what it emits
(its own events and the commands it sends the owners, through the outbox)."""

from __future__ import annotations

from igny8_automation.adapters.repository import ConfigRepository, RunRepository
from igny8_runtime.uow import UnitOfWork


class AutomationUnitOfWork(UnitOfWork):
    configs: ConfigRepository
    runs: RunRepository

    async def __aenter__(self) -> AutomationUnitOfWork:
        await super().__aenter__()
        self.configs = ConfigRepository(self.session)
        self.runs = RunRepository(self.session)
        return self
