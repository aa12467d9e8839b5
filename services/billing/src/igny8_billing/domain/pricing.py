"""What an AI operation costs in credits (pure).

Defaults follow the original system: clustering 10 credits per run, content 1 credit per 500
words, image prompts 0.5 credits per prompt (so 1 per started pair), images 1 (basic) to 4
(premium) credits. The seeds give no figure for ideas, linking and optimization; these follow
the original code base's constants (15 per idea request ≈ 3 per idea, 8 per linked article,
1 per 200 optimized words). Local (non-AI) clustering costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    """``credits`` for every started block of ``per`` units of the operation's quantity."""

    credits: int
    per: int = 1

    def __post_init__(self) -> None:
        if self.credits < 0 or self.per < 1:
            raise ValueError("a price needs credits >= 0 and per >= 1")

    def cost(self, quantity: int) -> int:
        if quantity < 0:
            raise ValueError("quantity must not be negative")
        blocks = -(-quantity // self.per)
        return blocks * self.credits


DEFAULT_PRICES: Mapping[str, Price] = {
    "clustering": Price(10),            # per clustering run
    "clustering_local": Price(0),       # the non-AI clustering
    "ideas": Price(3),                  # per idea
    "content": Price(1, per=500),       # per started 500 words
    "image_prompt_extraction": Price(1, per=2),  # 0.5 per prompt
    "image_basic": Price(1),            # per image
    "image_premium": Price(4),          # per image
    "linking": Price(8),                # per article linked
    "optimization": Price(1, per=200),  # per started 200 words
}


class UnknownOperation(ValueError):  # noqa: N818
    pass


class PriceTable:
    def __init__(self, overrides: Mapping[str, Price] | None = None) -> None:
        self.prices = {**DEFAULT_PRICES, **(overrides or {})}

    def cost(self, operation_type: str, quantity: int) -> int:
        price = self.prices.get(operation_type)
        if price is None:
            raise UnknownOperation(
                f"unknown operation type {operation_type!r}; known: {sorted(self.prices)}")
        return price.cost(quantity)
