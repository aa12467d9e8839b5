"""The gateway's ``system`` module: each account's AI provider settings and prompt overrides.

The gateway owns them (``/api/v1/system/settings/ai/`` and ``/api/v1/system/prompts/``); the
services running AI functions ask for them with ``GetAccountAi`` (``igny8_ai.account`` does it
with a short cache). The provider key never travels in clear: ``api_key_encrypted`` is the
ciphertext of ``igny8_runtime.secrets.SecretBox``, which every service opens with the same
``IGNY8_SECRETS_KEYS``.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from igny8_contracts.messages import Query

ProviderKind = Literal["offline", "openai_compatible"]


class AccountAi(BaseModel):
    """Reply of GetAccountAi. ``configured`` is False when the account chose no provider: the
    caller then uses its platform default (the other provider fields are the defaults'
    placeholders). ``prompt_overrides`` maps prompt keys to the account's own template, whether
    or not a provider is configured."""

    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    configured: bool
    kind: ProviderKind = "offline"
    base_url: str | None = None
    model: str = ""
    embedding_model: str = ""
    image_model: str = ""
    api_key_encrypted: str | None = None
    prompt_overrides: dict[str, str] = Field(default_factory=dict)


class GetAccountAi(Query[AccountAi]):
    subject_base = "qry.gateway.ai.get"
    account_id: uuid.UUID
