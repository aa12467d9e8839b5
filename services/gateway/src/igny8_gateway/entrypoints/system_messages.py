"""The ``system`` module on the bus: the secrets box opened at start-up, and the answer to
``GetAccountAi`` (an account's AI provider settings, key encrypted, and prompt overrides)."""

from __future__ import annotations

import asyncio

from igny8_contracts.system import AccountAi, GetAccountAi
from igny8_gateway.app import service
from igny8_gateway.service_layer import ai_settings
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.handling import HandlerContext
from igny8_runtime.secrets import SecretBox
from igny8_runtime.service import ServiceRuntime


@service.on_start
async def open_secret_box(runtime: ServiceRuntime) -> None:
    """The keys for customer secrets (IGNY8_SECRETS_KEYS, shared by every service)."""
    runtime.provide(await asyncio.to_thread(SecretBox.from_settings))


@service.on_query(GetAccountAi, read_only=True)
async def on_get_account_ai(query: GetAccountAi, uow: GatewayUnitOfWork,
                            ctx: HandlerContext) -> AccountAi:
    """Answers the account's AI provider settings (the key as ciphertext) and prompt
    overrides."""
    return await ai_settings.account_ai(uow, query.account_id)
