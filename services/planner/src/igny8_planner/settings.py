"""Planner's own settings (environment, prefix ``IGNY8_PLANNER_``)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from igny8_ai import ProviderConfig


class PlannerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_PLANNER_", env_nested_delimiter="__",
                                      extra="ignore")

    # The AI provider for every account until accounts configure their own; offline (no
    # network, no key) by default, e.g. IGNY8_PLANNER_AI_PROVIDER='{"kind":
    # "openai_compatible", "base_url": "...", "api_key": "...", "model": "gpt-4o-mini"}'.
    ai_provider: ProviderConfig = ProviderConfig()


@cache
def planner_settings() -> PlannerSettings:
    return PlannerSettings()
