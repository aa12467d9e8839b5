"""What each AI operation is billed as, and the most one may cost before it runs: one place that
billing's price table, the services that record usage (planner, writer) and the code that
reserves credits first (the gateway) all read.

A reservation holds ``max_quantity`` units of an operation type; billing prices the units with
its price table (defaults in ``igny8_billing.domain.pricing``, keyed by these names) and, once
the work is done, charges the actual usage (never more than was held).
"""

from __future__ import annotations

from typing import Final

CLUSTERING: Final = "clustering"  # per AI clustering run
CLUSTERING_LOCAL: Final = "clustering_local"  # the non-AI clustering (free)
IDEAS: Final = "ideas"  # per idea
CONTENT: Final = "content"  # per started block of CONTENT_WORDS_PER_BLOCK words
IMAGE_PROMPTS: Final = "image_prompt_extraction"  # per prompt (priced per started pair)
IMAGES: Final = "image_basic"  # per image
IMAGES_PREMIUM: Final = "image_premium"  # per image
LINKING: Final = "linking"  # per article linked
OPTIMIZATION: Final = "optimization"  # per started 200 words

CONTENT_WORDS_PER_BLOCK: Final = 500
CLUSTERING_RUNS_TO_RESERVE: Final = 1  # one AI clustering operation is one run
REGENERATED_IMAGES_TO_RESERVE: Final = 1  # regenerating is one image (no prompt extraction)


def content_words_to_reserve(target_words: int) -> int:
    """The most one article may be charged for: its target length and half again (models
    overshoot); usage above it is not charged."""
    return target_words * 3 // 2


def ideas_to_reserve(clusters: int, ideas_per_cluster: int) -> int:
    """Ideas for ``clusters`` clusters: every idea asked for is held."""
    return clusters * ideas_per_cluster


def images_to_reserve(in_article_count: int) -> int:
    """Images of one article: its featured image and ``in_article_count`` in the text. Its
    image prompts are held in the same number (one prompt per image)."""
    return 1 + in_article_count
