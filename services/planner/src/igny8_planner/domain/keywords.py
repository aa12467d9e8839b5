"""Keywords: what makes two the same, and what a valid one is."""

from __future__ import annotations

import unicodedata
from typing import Final

from igny8_contracts.planner import MAX_KEYWORD_LENGTH, KeywordIntent

INTENTS: Final[dict[str, KeywordIntent]] = {
    "informational": "informational", "i": "informational", "info": "informational",
    "navigational": "navigational", "n": "navigational", "nav": "navigational",
    "commercial": "commercial", "c": "commercial",
    "transactional": "transactional", "t": "transactional",
}

# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


class InvalidKeywordError(ValueError):
    pass


def normalize(keyword: str) -> str:
    """The form two keywords are compared in: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", keyword).casefold().split())


def clean_keyword(raw: str) -> str:
    """The keyword as stored: NFC, whitespace collapsed. Raises InvalidKeywordError."""
    keyword = " ".join(unicodedata.normalize("NFC", raw).split())
    if not keyword:
        raise InvalidKeywordError("keyword is empty")
    if len(keyword) > MAX_KEYWORD_LENGTH:
        raise InvalidKeywordError(f"keyword is longer than {MAX_KEYWORD_LENGTH} characters")
    if "\x00" in keyword:
        raise InvalidKeywordError("keyword contains a NUL character")
    if any(unicodedata.category(ch) == "Cc" for ch in keyword):
        raise InvalidKeywordError("keyword contains control characters")
    return keyword


def parse_intent(raw: str) -> KeywordIntent | None:
    """First recognised intent of a cell ("Commercial, Transactional" → commercial)."""
    for part in raw.replace(";", ",").split(","):
        intent = INTENTS.get(part.strip().casefold())
        if intent is not None:
            return intent
    return None


def neutralize_cell(value: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
