from __future__ import annotations

from igny8_gateway.adapters.auth_store import LoginFailureRepository, RefreshTokenRepository
from igny8_gateway.adapters.operations_orm import OperationRepository
from igny8_gateway.adapters.repository import (
    AccountRepository,
    SectorRepository,
    SiteAccessRepository,
    SiteRepository,
    UserRepository,
)
from igny8_runtime.uow import UnitOfWork


class GatewayUnitOfWork(UnitOfWork):
    accounts: AccountRepository
    users: UserRepository
    sites: SiteRepository
    sectors: SectorRepository
    site_access: SiteAccessRepository
    refresh_tokens: RefreshTokenRepository
    login_failures: LoginFailureRepository
    operations: OperationRepository

    async def __aenter__(self) -> GatewayUnitOfWork:
        await super().__aenter__()
        self.accounts = AccountRepository(self.session)
        self.users = UserRepository(self.session)
        self.sites = SiteRepository(self.session)
        self.sectors = SectorRepository(self.session)
        self.site_access = SiteAccessRepository(self.session)
        self.refresh_tokens = RefreshTokenRepository(self.session)
        self.login_failures = LoginFailureRepository(self.session)
        self.operations = OperationRepository(self.session)
        return self
