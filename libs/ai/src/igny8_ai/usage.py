"""Token usage and cost of one AI operation, published as a usage event by the service."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

# USD per million tokens (input, output), from the providers' public price lists. A model not
# listed costs 0 and is flagged ``priced=False`` rather than guessed.
PRICES_PER_MILLION: dict[str, tuple[Decimal, Decimal]] = {
    "gpt-4o-mini": (Decimal("0.15"), Decimal("0.60")),
    "gpt-4o": (Decimal("2.50"), Decimal("10.00")),
    "gpt-4.1": (Decimal("2.00"), Decimal("8.00")),
    "gpt-4.1-mini": (Decimal("0.40"), Decimal("1.60")),
    "gpt-4.1-nano": (Decimal("0.10"), Decimal("0.40")),
    "text-embedding-3-small": (Decimal("0.02"), Decimal("0")),
    "text-embedding-3-large": (Decimal("0.13"), Decimal("0")),
    "offline": (Decimal("0"), Decimal("0")),
}
_MILLION = Decimal(1_000_000)


def price_for(model: str) -> tuple[Decimal, Decimal] | None:
    if model in PRICES_PER_MILLION:
        return PRICES_PER_MILLION[model]
    # Providers answer with dated snapshots ("gpt-4o-mini-2024-07-18"): price them as the base.
    matches = [name for name in PRICES_PER_MILLION if model.startswith(name + "-")]
    return PRICES_PER_MILLION[max(matches, key=len)] if matches else None


def cost_usd(model: str, prompt_tokens: int, completion_tokens: int) -> Decimal | None:
    prices = price_for(model)
    if prices is None:
        return None
    input_price, output_price = prices
    return (input_price * prompt_tokens + output_price * completion_tokens) / _MILLION


class UsageRecord(BaseModel):
    operation_id: str
    operation_type: str
    account_id: str
    provider: str
    model: str
    offline: bool = False
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: Decimal = Field(default=Decimal("0"))
    priced: bool = True
    succeeded: bool = False

    def add_call(self, model: str, prompt_tokens: int, completion_tokens: int) -> None:
        self.calls += 1
        self.model = model or self.model
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens
        cost = cost_usd(self.model, prompt_tokens, completion_tokens)
        if cost is None:
            self.priced = False
        else:
            self.cost_usd += cost

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens
