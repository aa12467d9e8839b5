"""Numbers as keyword tools export them: thousands separators, K/M suffixes, and ranges such
as Google Keyword Planner's "1K - 10K" (en dash) or Moz's "501-850" (a range counts as its lower bound:
the only value the tool vouches for)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final

_SUFFIX: Final = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_GROUPED: Final = re.compile(r"^\d{1,3}(?:([,.\u00a0\u202f ])\d{3})(?:\1\d{3})*$")
_SCALED: Final = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([kmb]?)$", re.IGNORECASE)
_RANGE: Final = re.compile(r"^(.+?)\s*[-\u2013\u2014~]\s*(.+)$")
_MAX_INT: Final = 2**31 - 1


class InvalidNumberError(ValueError):
    pass


def _amount(text: str) -> int:
    if _GROUPED.match(text):
        return int(re.sub(r"\D", "", text))
    scaled = _SCALED.match(text)
    if scaled is None:
        raise InvalidNumberError(text)
    number = Decimal(scaled.group(1).replace(",", "."))
    return int(number * _SUFFIX[scaled.group(2).casefold()])


def parse_count(raw: str) -> int | None:
    """A non-negative whole number ("12,100", "1.5K", "1K - 10K" → 1000); None when blank."""
    text = raw.strip().lstrip("<>≥≤").strip()
    if text in ("", "-", "\u2013", "n/a", "N/A"):
        return None
    ranged = _RANGE.match(text)
    value = _amount(ranged.group(1).strip() if ranged else text)
    if value > _MAX_INT:
        raise InvalidNumberError(raw)
    return value


def parse_money(raw: str) -> Decimal | None:
    """A non-negative amount with at most 2 decimals ("1,234.50", "0,45", "$1.20")."""
    text = raw.strip().lstrip("$€£").strip()
    if text in ("", "-", "n/a", "N/A"):
        return None
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif text.count(",") == 1 and len(text.split(",")[1]) <= 2:
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise InvalidNumberError(raw) from exc
    if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
        raise InvalidNumberError(raw)
    return value.quantize(Decimal("0.01"))
