"""Writer's image settings (environment, prefix ``IGNY8_WRITER_``), and which image provider an
account's images are made with."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from igny8_ai.account import AccountAiResolved
from igny8_ai.images import ImageProviderConfig


class WriterImageSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_WRITER_", env_nested_delimiter="__",
                                      extra="ignore")

    # The image provider of accounts that configured no AI provider: offline placeholders by
    # default; e.g. IGNY8_WRITER_IMAGE_PROVIDER='{"kind": "runware", "api_key": "..."}' or
    # '{"kind": "openai_compatible", "base_url": "...", "api_key": "...", "model": "dall-e-3"}'.
    image_provider: ImageProviderConfig = ImageProviderConfig()
    # Articles illustrated at the same time (the provider's own limits apply too).
    image_concurrency: int = Field(default=20, ge=1, le=200)


def image_provider_for(ai: AccountAiResolved, default: ImageProviderConfig) -> ImageProviderConfig:
    """An account that configured its own OpenAI-compatible provider gets its images there
    (its image model); every other account gets the writer's default image provider.

    Image calls to the account's provider go through the same (provider, account) limiter as
    its chat calls (same name, same limits): the provider's limits are per key, not per
    endpoint."""
    provider = ai.provider
    if not ai.configured or provider.kind != "openai_compatible":
        return default
    return ImageProviderConfig(
        kind="openai_compatible", name=provider.name, base_url=provider.base_url,
        api_key=provider.api_key, model=provider.image_model or "dall-e-3",
        featured_size=default.featured_size, in_article_size=default.in_article_size,
        timeout_seconds=default.timeout_seconds, limits=provider.limits, retry=provider.retry)
