"""Writer's own settings (environment, prefix ``IGNY8_WRITER_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from igny8_ai import ProviderConfig


class WriterSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_WRITER_", env_nested_delimiter="__",
                                      extra="ignore")

    # The AI provider of accounts that configured none (the gateway's system/settings/ai/);
    # offline (no network, no key) by default, e.g. IGNY8_WRITER_AI_PROVIDER='{"kind":
    # "openai_compatible", "base_url": "...", "api_key": "...", "model": "gpt-4o-mini"}'.
    ai_provider: ProviderConfig = ProviderConfig()
    # Articles of one batch written at the same time (the provider's own limits apply too).
    generation_concurrency: int = Field(default=20, ge=1, le=200)
