"""Normalisation, numbers, intents, export neutralisation and cursors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from igny8_planner.domain.cursors import Cursor, InvalidCursorError
from igny8_planner.domain.keywords import (
    InvalidKeywordError,
    clean_keyword,
    neutralize_cell,
    normalize,
    parse_intent,
)
from igny8_planner.domain.numbers import InvalidNumberError, parse_count, parse_money


@pytest.mark.parametrize(("a", "b"), [
    ("Running Shoes", "running   shoes"),
    ("STRASSE", "stra\u00dfe"),
    ("\uff52\uff55\uff4e", "run"),  # full-width letters
    ("cafe\u0301", "caf\u00e9"),
    (" tab\tand\u00a0nbsp ", "tab and nbsp"),
])
def test_normalisation_makes_equivalent_keywords_equal(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_clean_keyword_rejects_empty_long_and_control_characters() -> None:
    assert clean_keyword("  two   words ") == "two words"
    for bad in ("   ", "x" * 256, "bell\x07"):
        with pytest.raises(InvalidKeywordError):
            clean_keyword(bad)


@pytest.mark.parametrize(("raw", "value"), [
    ("12,100", 12100), ("1 234 567", 1234567), ("1.234", 1234), ("1.5K", 1500),
    ("1K \u2013 10K", 1000), ("100 - 1K", 100), ("1M \u2013 10M", 1_000_000), ("", None),
    ("7", 7),
])
def test_counts(raw: str, value: int | None) -> None:
    assert parse_count(raw) == value


@pytest.mark.parametrize("raw", ["lots", "1e9999", "12abc", "99999999999"])
def test_bad_counts(raw: str) -> None:
    with pytest.raises(InvalidNumberError):
        parse_count(raw)


def test_money() -> None:
    assert parse_money("1,234.50") == Decimal("1234.50")
    assert parse_money("0,45") == Decimal("0.45")
    assert parse_money("$1.2") == Decimal("1.20")
    with pytest.raises(InvalidNumberError):
        parse_money("-3")


def test_intents() -> None:
    assert parse_intent("Commercial, Transactional") == "commercial"
    assert parse_intent("I") == "informational"
    assert parse_intent("unknown") is None


@pytest.mark.parametrize("cell", ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralize_cell(cell) == "'" + cell


def test_plain_cells_stay_as_they_are() -> None:
    assert neutralize_cell("running shoes") == "running shoes"


def test_cursor_round_trip_and_ordering_binding() -> None:
    row_id = uuid.uuid4()
    when = datetime(2026, 1, 2, tzinfo=UTC)
    cursor = Cursor("-created_at", "after", when, row_id)
    assert Cursor.decode(cursor.encode(), "-created_at") == cursor
    with pytest.raises(InvalidCursorError):
        Cursor.decode(cursor.encode(), "volume")
    with pytest.raises(InvalidCursorError):
        Cursor.decode("not-a-cursor", "volume")
