"""Billing's own settings (environment, prefix ``IGNY8_BILLING_``)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from igny8_billing.domain.pricing import Price, PriceTable


class BillingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_BILLING_", extra="ignore")

    # Below this many credits left (plan + bonus), a debit emits CreditsLow once.
    low_credits_threshold: int = 20
    # How often the periodic jobs look for overdue reservations and ended periods.
    hold_expiry_interval_seconds: float = 10.0
    renewal_interval_seconds: float = 60.0
    job_batch_size: int = 200
    # Price overrides, e.g. IGNY8_BILLING_PRICES='{"content": [2, 500]}' (credits, per units).
    prices: dict[str, tuple[int, int]] = {}

    def price_table(self) -> PriceTable:
        return PriceTable({op: Price(credits, per) for op, (credits, per) in self.prices.items()})


@cache
def billing_settings() -> BillingSettings:
    return BillingSettings()
