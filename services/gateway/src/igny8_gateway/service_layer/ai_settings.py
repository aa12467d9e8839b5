"""An account's AI provider settings: read (every member), save or remove (owners and admins),
test a connection, and answer the services' ``GetAccountAi`` (the key as ciphertext)."""

from __future__ import annotations

import uuid

from pydantic import SecretStr, ValidationError

from igny8_ai.account import ai_network_settings
from igny8_ai.providers import ProviderConfig
from igny8_contracts.system import AccountAi
from igny8_gateway.adapters.ai_connection import ConnectionReport, reach_provider
from igny8_gateway.adapters.system_orm import AiSettingsRepository, PromptOverrideRepository
from igny8_gateway.domain.ai_settings import (
    AiSettings,
    FieldErrors,
    ProviderChoice,
    check_choice,
    last4,
    url_problem,
)
from igny8_gateway.domain.errors import InvalidInput
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_manage_account
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.addresses import url_refusal
from igny8_runtime.secrets import SecretBox, SecretError


async def _refuse_unsafe_url(choice: ProviderChoice) -> None:
    """A base URL resolving to a private, loopback (unless allowed for development),
    link-local or metadata address is refused (SSRF)."""
    if choice.kind != "openai_compatible" or not choice.base_url or url_problem(choice.base_url):
        return  # (a malformed URL is check_choice's to report)
    refused = await url_refusal(choice.base_url,
                                allow_loopback=ai_network_settings().allow_loopback)
    if refused:
        raise FieldErrors({"base_url": [f"This address may not be called: {refused}."]})


async def get_settings(uow: GatewayUnitOfWork, actor: Actor) -> AiSettings | None:
    """The account's settings, or None when it uses the platform default."""
    async with uow:
        return await AiSettingsRepository(uow.session).get(actor.account_id)


async def save_settings(uow: GatewayUnitOfWork, actor: Actor, choice: ProviderChoice,
                        box: SecretBox) -> AiSettings:
    """Replace the settings; an omitted key keeps the stored one. Raises FieldErrors."""
    ensure_can_manage_account(actor)
    await _refuse_unsafe_url(choice)
    async with uow:
        repository = AiSettingsRepository(uow.session)
        current = await repository.get(actor.account_id, lock=True)
        check_choice(choice, key_stored=current is not None and current.api_key_set)
        encrypted: str | None
        key_last4: str | None
        if choice.api_key is not None:
            key = choice.api_key.strip()
            encrypted, key_last4 = box.encrypt(key), last4(key)
        else:
            encrypted = current.api_key_encrypted if current else None
            key_last4 = current.api_key_last4 if current else None
        saved = await repository.put(AiSettings(
            account_id=actor.account_id, kind=choice.kind, base_url=choice.base_url,
            model=choice.model.strip(), embedding_model=choice.embedding_model.strip(),
            image_model=choice.image_model.strip(), api_key_encrypted=encrypted,
            api_key_last4=key_last4, updated_by=actor.user_id))
        await uow.commit()
    return saved


async def remove_settings(uow: GatewayUnitOfWork, actor: Actor) -> bool:
    """Back to the platform default (the stored key is deleted)."""
    ensure_can_manage_account(actor)
    async with uow:
        removed = await AiSettingsRepository(uow.session).delete(actor.account_id)
        await uow.commit()
    return removed


async def test_connection_of(uow: GatewayUnitOfWork, actor: Actor, choice: ProviderChoice | None,
                        box: SecretBox) -> ConnectionReport:
    """Test ``choice`` (its omitted key taken from the stored settings) or, when None, the
    saved settings. Nothing is saved."""
    ensure_can_manage_account(actor)
    stored = await get_settings(uow, actor)
    if choice is None:
        if stored is None:
            raise InvalidInput("No AI provider is configured for this account; send the "
                               "settings to test them.")
        choice = ProviderChoice(kind=stored.kind, base_url=stored.base_url, model=stored.model,
                                embedding_model=stored.embedding_model,
                                image_model=stored.image_model)
    check_choice(choice, key_stored=stored is not None and stored.api_key_set)
    await _refuse_unsafe_url(choice)
    api_key = choice.api_key
    if api_key is None and stored is not None and stored.api_key_encrypted:
        try:
            api_key = box.decrypt(stored.api_key_encrypted)
        except SecretError as exc:
            raise FieldErrors({"api_key": ["The stored key cannot be decrypted; enter it "
                                           "again."]}) from exc
    try:
        config = ProviderConfig(kind=choice.kind, base_url=choice.base_url,
                                api_key=SecretStr(api_key) if api_key else None,
                                model=choice.model, embedding_model=choice.embedding_model,
                                image_model=choice.image_model)
    except ValidationError as exc:
        raise InvalidInput(f"These settings cannot be tested: {exc}") from exc
    return await reach_provider(config)


async def account_ai(uow: GatewayUnitOfWork, account_id: uuid.UUID) -> AccountAi:
    """What a service running an AI function for the account needs (``GetAccountAi``), read
    in the caller's unit of work."""
    settings = await AiSettingsRepository(uow.session).get(account_id)
    overrides = await PromptOverrideRepository(uow.session).all(account_id)
    prompts = {key: row.template for key, row in overrides.items()}
    if settings is None:
        return AccountAi(account_id=account_id, configured=False, prompt_overrides=prompts)
    return AccountAi(account_id=account_id, configured=True, kind=settings.kind,
                     base_url=settings.base_url, model=settings.model,
                     embedding_model=settings.embedding_model, image_model=settings.image_model,
                     api_key_encrypted=settings.api_key_encrypted, prompt_overrides=prompts)
