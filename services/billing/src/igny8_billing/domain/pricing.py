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

from igny8_contracts import pricing


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
    pricing.CLUSTERING: Price(10),
    pricing.CLUSTERING_LOCAL: Price(0),
    pricing.IDEAS: Price(3),
    pricing.CONTENT: Price(1, per=pricing.CONTENT_WORDS_PER_BLOCK),
    pricing.IMAGE_PROMPTS: Price(1, per=2),  # 0.5 per prompt
    pricing.IMAGES: Price(1),
    pricing.IMAGES_PREMIUM: Price(4),
    pricing.LINKING: Price(8),
    pricing.OPTIMIZATION: Price(1, per=200),
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
