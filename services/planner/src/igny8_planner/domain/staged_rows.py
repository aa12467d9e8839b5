"""A keyword row as it is staged for the database: text fields (numbers in plain decimal
notation, None when blank). ``quick_row`` reads the common row (ASCII keyword, plain numbers)
without the general parser and gives exactly what ``parse_row`` would; for any other row it
answers None and the caller uses ``parse_row``."""

from __future__ import annotations

import re
from typing import Final

from igny8_contracts.planner import MAX_KEYWORD_LENGTH
from igny8_planner.domain.csv_import import KeywordRow, Layout
from igny8_planner.domain.keywords import parse_intent

# keyword, normalized, volume, difficulty, cpc, intent
StagedRow = tuple[str, str, str | None, str | None, str | None, str | None]

# Up to 999,999,999, so never above the largest count; "12,100" as Semrush writes it.
_PLAIN_COUNT: Final = re.compile(r"\d{1,9}|\d{1,3}(?:,\d{3}){1,2}", re.ASCII)
# At most 2 decimals (no rounding needed), below 1e10.
_PLAIN_MONEY: Final = re.compile(r"\d{1,10}(?:\.\d{1,2})?", re.ASCII)


class _NotPlainError(Exception):
    pass


def staged(row: KeywordRow) -> StagedRow:
    return (row.keyword, row.normalized,
            None if row.volume is None else str(row.volume),
            None if row.difficulty is None else str(row.difficulty),
            None if row.cpc is None else str(row.cpc), row.intent)


def _count(cells: list[str], index: int | None) -> str | None:
    """A count cell as plain digits, None when blank; raises _NotPlainError otherwise."""
    if index is None or index >= len(cells):
        return None
    text = cells[index].strip()
    if not text:
        return None
    if text.isdigit() and text.isascii() and len(text) <= 9:
        return text
    if _PLAIN_COUNT.fullmatch(text) is None:
        raise _NotPlainError
    return text.replace(",", "")


def quick_row(cells: list[str], layout: Layout) -> StagedRow | None:
    """The staged form of an ordinary row, or None: not ordinary, ask ``parse_row``."""
    raw = cells[layout.keyword] if layout.keyword < len(cells) else ""
    if not raw.isascii():
        return None
    keyword = " ".join(raw.split())
    # Printable ASCII: no control characters (NFC and NFKC leave ASCII as it is).
    if not keyword or len(keyword) > MAX_KEYWORD_LENGTH or not keyword.isprintable():
        return None
    try:
        volume = _count(cells, layout.volume)
        difficulty = _count(cells, layout.difficulty)
    except _NotPlainError:
        return None
    if difficulty is not None and int(difficulty) > 100:
        return None
    index = layout.cpc
    cpc = cells[index].strip() if index is not None and index < len(cells) else ""
    if cpc and _PLAIN_MONEY.fullmatch(cpc) is None:
        return None
    index = layout.intent
    intent = parse_intent(cells[index]) if index is not None and index < len(cells) else None
    return (keyword, keyword.lower(), volume, difficulty, cpc or None, intent)
