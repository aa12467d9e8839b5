"""Sign-in state: refresh tokens (for rotation and reuse detection) and failed logins."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_gateway.adapters.orm import login_failures, refresh_tokens
from igny8_gateway.domain.authentication import RefreshToken


def _token(row: Row[Any]) -> RefreshToken:
    return RefreshToken(id=row.id, family_id=row.family_id, user_id=row.user_id,
                        account_id=row.account_id, issued_at=row.issued_at,
                        expires_at=row.expires_at, used_at=row.used_at,
                        revoked_at=row.revoked_at)


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: RefreshToken) -> None:
        await self.session.execute(insert(refresh_tokens).values(
            id=token.id, family_id=token.family_id, user_id=token.user_id,
            account_id=token.account_id, issued_at=token.issued_at,
            expires_at=token.expires_at, used_at=token.used_at, revoked_at=token.revoked_at,
        ))

    async def get_for_update(
        self, account_id: uuid.UUID, user_id: uuid.UUID, token_id: uuid.UUID
    ) -> RefreshToken | None:
        """The token, locked until commit: two parallel refreshes with the same token are
        serialised, so the second one sees it spent."""
        row = (await self.session.execute(
            select(refresh_tokens).where(
                refresh_tokens.c.id == token_id, refresh_tokens.c.user_id == user_id,
                refresh_tokens.c.account_id == account_id,
            ).with_for_update()
        )).first()
        return _token(row) if row is not None else None

    async def mark_used(self, token: RefreshToken, at: datetime) -> None:
        await self.session.execute(
            update(refresh_tokens).where(refresh_tokens.c.id == token.id).values(used_at=at))

    async def revoke_family(self, family_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at))

    async def revoke_user(self, account_id: uuid.UUID, user_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.account_id == account_id,
                   refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at))


class LoginFailureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def since(self, key: str, since: datetime) -> list[datetime]:
        rows = await self.session.execute(
            select(login_failures.c.failed_at)
            .where(login_failures.c.key == key, login_failures.c.failed_at > since))
        return list(rows.scalars())

    async def record(self, keys: Iterable[str], at: datetime, forget_before: datetime) -> None:
        """Record a failure under every key, dropping their failures that left the window."""
        keys = list(keys)
        await self.session.execute(delete(login_failures).where(
            login_failures.c.key.in_(keys), login_failures.c.failed_at <= forget_before))
        await self.session.execute(insert(login_failures),
                                   [{"key": key, "failed_at": at} for key in keys])

    async def forget(self, key: str) -> None:
        await self.session.execute(delete(login_failures).where(login_failures.c.key == key))
