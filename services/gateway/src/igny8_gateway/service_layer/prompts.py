"""The account's AI prompts: every system default with the account's override when it has
one; owners and admins override (checked by ``igny8_ai.prompts.validate_template``) or reset
to the default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from igny8_ai.prompts import DEFAULT_PROMPTS, PromptTemplate, PromptValidationError, validate_template
from igny8_gateway.adapters.system_orm import PromptOverrideRepository
from igny8_gateway.domain.ai_settings import FieldErrors
from igny8_gateway.domain.errors import NotFound
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_manage_account
from igny8_gateway.service_layer.uow import GatewayUnitOfWork

MAX_TEMPLATE_CHARS = 50_000


@dataclass(frozen=True)
class AccountPrompt:
    default: PromptTemplate
    override: str | None = None
    updated_at: datetime | None = None

    @property
    def key(self) -> str:
        return self.default.key

    @property
    def current(self) -> str:
        return self.override if self.override is not None else self.default.text


def _prompt(key: str, row: Row[Any] | None) -> AccountPrompt:
    if row is None:
        return AccountPrompt(DEFAULT_PROMPTS[key])
    return AccountPrompt(DEFAULT_PROMPTS[key], row.template, row.updated_at)


def _known(key: str) -> None:
    if key not in DEFAULT_PROMPTS:
        raise NotFound("Prompt not found.")


async def list_prompts(uow: GatewayUnitOfWork, actor: Actor) -> list[AccountPrompt]:
    async with uow:
        overrides = await PromptOverrideRepository(uow.session).all(actor.account_id)
    return [_prompt(key, overrides.get(key)) for key in sorted(DEFAULT_PROMPTS)]


async def get_prompt(uow: GatewayUnitOfWork, actor: Actor, key: str) -> AccountPrompt:
    _known(key)
    async with uow:
        overrides = await PromptOverrideRepository(uow.session).all(actor.account_id)
    return _prompt(key, overrides.get(key))


async def override_prompt(uow: GatewayUnitOfWork, actor: Actor, key: str,
                          template: str) -> AccountPrompt:
    """Raises NotFound (unknown key), Forbidden, or FieldErrors on ``template``."""
    _known(key)
    ensure_can_manage_account(actor)
    if len(template) > MAX_TEMPLATE_CHARS:
        raise FieldErrors({"template": [f"At most {MAX_TEMPLATE_CHARS} characters."]})
    try:
        validate_template(key, template)
    except PromptValidationError as exc:
        raise FieldErrors(exc.errors) from exc
    async with uow:
        repository = PromptOverrideRepository(uow.session)
        await repository.put(actor.account_id, key, template, actor.user_id)
        row = (await repository.all(actor.account_id)).get(key)
        await uow.commit()
    return _prompt(key, row)


async def reset_prompt(uow: GatewayUnitOfWork, actor: Actor, key: str) -> AccountPrompt:
    """Removes the override (nothing to remove is fine): the default applies again."""
    _known(key)
    ensure_can_manage_account(actor)
    async with uow:
        await PromptOverrideRepository(uow.session).delete(actor.account_id, key)
        await uow.commit()
    return _prompt(key, None)
