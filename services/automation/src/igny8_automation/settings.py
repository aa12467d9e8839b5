"""Automation's own settings (environment, prefix ``IGNY8_AUTOMATION_``)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class AutomationServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_AUTOMATION_", extra="ignore")

    # How often the sweeper looks for due runs (delays, waits, the maximum run time) and due
    # schedules.
    tick_seconds: float = 0.5
    # How long to wait for another service's answer (queries, credit reservations).
    owner_timeout_seconds: float = 10.0


@cache
def automation_settings() -> AutomationServiceSettings:
    return AutomationServiceSettings()
