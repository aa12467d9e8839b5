"""Tables of the ``system`` module (AI provider settings and prompt overrides per account) and
their repositories. Every method filters by account id."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    PrimaryKeyConstraint,
    Row,
    String,
    Table,
    Text,
    Uuid,
    delete,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_gateway.adapters.orm import metadata
from igny8_gateway.domain.ai_settings import AiSettings

ai_settings = Table(
    "ai_settings",
    metadata,
    Column("account_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("base_url", String(2048), nullable=True),
    Column("model", String(200), nullable=False),
    Column("embedding_model", String(200), nullable=False),
    Column("image_model", String(200), nullable=False),
    Column("api_key_encrypted", Text, nullable=True),  # SecretBox ciphertext, never the key
    Column("api_key_last4", String(4), nullable=True),
    Column("updated_by", Uuid, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

prompt_overrides = Table(
    "prompt_overrides",
    metadata,
    Column("account_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("prompt_key", String(100), nullable=False),
    Column("template", Text, nullable=False),
    Column("updated_by", Uuid, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("account_id", "prompt_key", name="pk_prompt_overrides"),
)

_SETTINGS_FIELDS = ("kind", "base_url", "model", "embedding_model", "image_model",
                    "api_key_encrypted", "api_key_last4", "updated_by")


def _settings(row: Row[Any]) -> AiSettings:
    return AiSettings(**row._asdict())


class AiSettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, account_id: uuid.UUID, *, lock: bool = False) -> AiSettings | None:
        query = select(ai_settings).where(ai_settings.c.account_id == account_id)
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _settings(row) if row is not None else None

    async def put(self, settings: AiSettings) -> AiSettings:
        values = {name: getattr(settings, name) for name in _SETTINGS_FIELDS}
        statement = pg_insert(ai_settings).values(account_id=settings.account_id, **values)
        row = (await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[ai_settings.c.account_id],
                set_={**values, "updated_at": func.now()})
            .returning(*ai_settings.c))).one()
        return _settings(row)

    async def delete(self, account_id: uuid.UUID) -> bool:
        result = await self.session.execute(
            delete(ai_settings).where(ai_settings.c.account_id == account_id)
            .returning(ai_settings.c.account_id))
        return result.first() is not None


class PromptOverrideRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self, account_id: uuid.UUID) -> dict[str, Row[Any]]:
        rows = await self.session.execute(
            select(prompt_overrides).where(prompt_overrides.c.account_id == account_id))
        return {row.prompt_key: row for row in rows}

    async def put(self, account_id: uuid.UUID, prompt_key: str, template: str,
                  updated_by: uuid.UUID) -> None:
        values = {"template": template, "updated_by": updated_by}
        await self.session.execute(
            pg_insert(prompt_overrides)
            .values(account_id=account_id, prompt_key=prompt_key, **values)
            .on_conflict_do_update(constraint="pk_prompt_overrides",
                                   set_={**values, "updated_at": func.now()}))

    async def delete(self, account_id: uuid.UUID, prompt_key: str) -> bool:
        result = await self.session.execute(
            delete(prompt_overrides)
            .where(prompt_overrides.c.account_id == account_id,
                   prompt_overrides.c.prompt_key == prompt_key)
            .returning(prompt_overrides.c.prompt_key))
        return result.first() is not None
