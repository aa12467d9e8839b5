"""The gateway's unit of work in memory, for fast tests of its bus handlers (no PostgreSQL).
The fake repositories implement what those handlers use: accounts' plan limits and the
operations read model."""

from __future__ import annotations

import dataclasses
import uuid

from igny8_devtools.fake_uow import FakeUnitOfWork
from igny8_gateway.adapters.operations_orm import OperationRepository
from igny8_gateway.adapters.repository import AccountRepository
from igny8_gateway.domain.model import Account
from igny8_gateway.domain.operations import Operation
from igny8_gateway.service_layer.uow import GatewayUnitOfWork


class FakeAccountRepository(AccountRepository):
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Account] = {}

    async def add(self, account: Account) -> None:
        self.rows[account.id] = account

    async def get(self, account_id: uuid.UUID, *, lock: bool = False) -> Account | None:
        return self.rows.get(account_id)

    async def set_plan(self, account_id: uuid.UUID, plan_slug: str, max_sites: int,
                       max_users: int) -> bool:
        account = self.rows.get(account_id)
        if account is None:
            return False
        account.plan_slug, account.max_sites, account.max_users = plan_slug, max_sites, max_users
        return True


class FakeOperationRepository(OperationRepository):
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Operation] = {}  # by id, as the table's primary key

    async def get(self, account_id: uuid.UUID, operation_id: uuid.UUID, *,
                  lock: bool = False) -> Operation | None:
        found = self.rows.get(operation_id)
        return found if found is not None and found.account_id == account_id else None

    async def add(self, operation: Operation) -> bool:
        if operation.id in self.rows:
            return False
        self.rows[operation.id] = operation
        return True

    async def save(self, operation: Operation) -> None:
        current = self.rows.get(operation.id)
        if current is not None and current.account_id == operation.account_id:
            self.rows[operation.id] = dataclasses.replace(operation)


class FakeGatewayUnitOfWork(FakeUnitOfWork, GatewayUnitOfWork):
    def __init__(self) -> None:
        super().__init__("gateway")
        self.accounts = FakeAccountRepository()
        self.operations = FakeOperationRepository()
