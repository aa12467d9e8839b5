"""The AI model an account's operation runs on: the account's provider and prompts as the
gateway keeps them (the planner's default provider when it chose none), run through the
planner's one AI engine (one per process: it holds the providers' rate limiters)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from igny8_ai import AIContext, AIEngine, ProgressCallback, Provider, ProviderConfig, build_provider
from igny8_ai.account import AccountAiResolved, Ask, account_ai
from igny8_runtime.secrets import SecretBox


@dataclass(frozen=True)
class AccountModel:
    """One account's provider, opened for one operation: ``aclose`` it when done."""

    engine: AIEngine
    provider: Provider
    settings: AccountAiResolved
    account_id: uuid.UUID
    operation_id: uuid.UUID

    def context(self, *, prompt_key: str | None = None,
                on_progress: ProgressCallback | None = None) -> AIContext:
        """What the engine runs a function with (``prompt_key``: the function's prompt, which
        the account may have overridden)."""
        return AIContext(account_id=str(self.account_id), provider=self.provider,
                         operation_id=str(self.operation_id), on_progress=on_progress,
                         prompt_override=self.settings.override_for(prompt_key)
                         if prompt_key else None)

    async def aclose(self) -> None:
        await self.provider.aclose()


class AccountModels:
    """Built once at start-up; ``open`` gives an account's model for one operation."""

    def __init__(self, default: ProviderConfig, box: SecretBox,
                 engine: AIEngine | None = None) -> None:
        self.default = default
        self.box = box
        self.engine = engine or AIEngine()

    async def open(self, ask: Ask, account_id: uuid.UUID,
                   operation_id: uuid.UUID) -> AccountModel:
        """``ask`` reaches the gateway. Raises ``AccountAiUnavailable``."""
        settings = await account_ai(ask, account_id, self.default, self.box)
        return AccountModel(self.engine, build_provider(settings.provider), settings, account_id,
                            operation_id)
