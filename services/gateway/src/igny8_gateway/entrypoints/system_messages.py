"""The ``system`` module on the bus: the secrets box opened at start-up, and the answer to
``GetAccountAi`` (an account's AI provider settings, key encrypted, and prompt overrides)."""

from __future__ import annotations

import asyncio

from igny8_contracts import Envelope, QueryResult
from igny8_contracts.system import GetAccountAi
from igny8_gateway.app import service
from igny8_gateway.service_layer import ai_settings
from igny8_runtime.secrets import SecretBox
from igny8_runtime.service import ServiceRuntime


@service.on_start
async def open_secret_box(runtime: ServiceRuntime) -> None:
    """The keys for customer secrets (IGNY8_SECRETS_KEYS, shared by every service)."""
    runtime.provide(await asyncio.to_thread(SecretBox.from_settings))


@service.on_query_legacy(GetAccountAi)
async def on_get_account_ai(query: GetAccountAi, envelope: Envelope,
                            runtime: ServiceRuntime) -> QueryResult:
    """Answers the account's AI provider settings (the key as ciphertext) and prompt
    overrides."""
    found = await ai_settings.account_ai(runtime.uow(read_only=True), query.account_id)
    return QueryResult.success(found.model_dump(mode="json"))
