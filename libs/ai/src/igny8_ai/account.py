"""Which AI provider and prompts an account uses: what the gateway keeps for it (its
``/api/v1/system/settings/ai/`` and ``/api/v1/system/prompts/``), else the service's default.

A service running an AI function for an account does::

    ai = await account_ai(ctx.ask, account_id, settings.ai_provider, SecretBox.from_settings())
    provider = build_provider(ai.provider)
    context = AIContext(account_id=str(account_id), provider=provider,
                        prompt_override=ai.override_for(function.prompt_key), ...)

The key arrives encrypted (``SecretBox`` ciphertext; every service shares
``IGNY8_SECRETS_KEYS``) and is opened only here. Answers are cached per process for a few
seconds, so an operation of many calls asks once and a change in the settings shows within
``CACHE_SECONDS``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Final

from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from igny8_ai.prompts import PromptTemplate, resolve_prompt
from igny8_ai.providers import ProviderConfig
from igny8_contracts.system import AccountAi, GetAccountAi
from igny8_runtime.addresses import url_refusal
from igny8_runtime.rpc import InvalidAnswer, OwnerUnavailable, Refused
from igny8_runtime.secrets import SecretBox, SecretError

CACHE_SECONDS: Final = 5.0


class AiNetworkSettings(BaseSettings):
    """``IGNY8_AI_ALLOW_LOOPBACK=true`` (local development and tests only) lets an account's
    provider live on a loopback address; private, link-local and metadata addresses are always
    refused (``igny8_runtime.addresses``)."""

    model_config = SettingsConfigDict(env_prefix="IGNY8_AI_", extra="ignore")

    allow_loopback: bool = False


@cache
def ai_network_settings() -> AiNetworkSettings:
    return AiNetworkSettings()

Ask = Callable[[GetAccountAi], Awaitable[AccountAi]]
"""Asks the gateway (``HandlerContext.ask``, or ``igny8_runtime.rpc.ask`` with the service's
broker, the account id, a source and a timeout bound in)."""


class AccountAiUnavailable(Exception):  # noqa: N818 - it says what happened
    """The account's AI settings cannot be used. ``retryable``: the gateway did not answer
    (try again later); otherwise they are unusable as stored (e.g. the key cannot be opened
    with this service's secrets keys): fail the operation with ``reason``."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


@dataclass(frozen=True)
class AccountAiResolved:
    """The provider to build for the account and its prompt overrides."""

    provider: ProviderConfig
    prompt_overrides: Mapping[str, str] = field(default_factory=dict)
    configured: bool = False  # True: the account's own provider; False: the service default

    def override_for(self, prompt_key: str) -> str | None:
        """The account's template for ``prompt_key`` (for ``AIContext.prompt_override``)."""
        return self.prompt_overrides.get(prompt_key)

    def prompt(self, prompt_key: str) -> PromptTemplate:
        """The template the account's operations use for ``prompt_key``."""
        return resolve_prompt(prompt_key, self.override_for(prompt_key))


_cache: dict[uuid.UUID, tuple[float, AccountAi]] = {}


def forget_account_ai(account_id: uuid.UUID | None = None) -> None:
    """Drop the cached settings of one account (or of all)."""
    if account_id is None:
        _cache.clear()
    else:
        _cache.pop(account_id, None)


async def account_ai(ask: Ask, account_id: uuid.UUID, default: ProviderConfig,
                     box: SecretBox, *, max_age: float = CACHE_SECONDS) -> AccountAiResolved:
    """The account's provider (``default`` when it configured none) and prompt overrides.
    Raises ``AccountAiUnavailable``."""
    settings = await _settings(ask, account_id, max_age)
    overrides = dict(settings.prompt_overrides)
    if not settings.configured:
        return AccountAiResolved(default, overrides, configured=False)
    provider = _provider(settings, default, box)
    if provider.base_url:
        refused = await url_refusal(provider.base_url,
                                    allow_loopback=ai_network_settings().allow_loopback)
        if refused:
            raise AccountAiUnavailable(f"the provider's base URL may not be called: {refused}",
                                       retryable=False)
    return AccountAiResolved(provider, overrides, configured=True)


async def _settings(ask: Ask, account_id: uuid.UUID, max_age: float) -> AccountAi:
    now = time.monotonic()
    cached = _cache.get(account_id)
    if cached is not None and now - cached[0] < max_age:
        return cached[1]
    try:
        settings = await ask(GetAccountAi(account_id=account_id))
    except InvalidAnswer as exc:
        raise AccountAiUnavailable(f"unreadable AI settings: {exc.reason}",
                                   retryable=False) from exc
    except OwnerUnavailable as exc:
        raise AccountAiUnavailable(f"the gateway did not answer: {exc.reason}",
                                   retryable=True) from exc
    except Refused as exc:
        raise AccountAiUnavailable(f"the gateway refused the AI settings query: {exc.message}",
                                   retryable=exc.status >= 500) from exc
    _cache[account_id] = (now, settings)
    return settings


def _provider(settings: AccountAi, default: ProviderConfig, box: SecretBox) -> ProviderConfig:
    """The account's provider, with the service default's timeout, limits and retry policy."""
    api_key: SecretStr | None = None
    if settings.api_key_encrypted:
        try:
            api_key = SecretStr(box.decrypt(settings.api_key_encrypted))
        except SecretError as exc:
            raise AccountAiUnavailable(
                "the account's AI provider key cannot be decrypted with this service's "
                "secrets keys (IGNY8_SECRETS_KEYS must be the same in every service)",
                retryable=False) from exc
    try:
        return ProviderConfig(
            kind=settings.kind, base_url=settings.base_url, api_key=api_key,
            model=settings.model or default.model,
            embedding_model=settings.embedding_model or default.embedding_model,
            image_model=settings.image_model or default.image_model,
            timeout_seconds=default.timeout_seconds, limits=default.limits, retry=default.retry)
    except ValidationError as exc:
        raise AccountAiUnavailable(f"the account's AI provider settings are incomplete: {exc}",
                                   retryable=False) from exc
