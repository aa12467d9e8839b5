"""Text shortened for a field with a length limit (SEO title, meta description, alt text...)."""

from __future__ import annotations


def clip(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut at a word boundary (with an ellipsis), never
    mid-word unless a single word is longer than the limit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"
