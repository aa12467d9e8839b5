"""The keyword file reader against small exports of each supported tool."""

from __future__ import annotations

import io
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igny8_planner.domain.csv_import import KeywordFile, KeywordRow, RejectedRow
from igny8_planner.domain.encoding import DecodedText, UnreadableFileError, detect_encoding
from igny8_planner.domain.lines import LineSource

FIXTURES = Path(__file__).parent / "fixtures"


def read(data: bytes) -> tuple[KeywordFile, list[KeywordRow | RejectedRow]]:
    encoding = detect_encoding(data[:65536])
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    keyword_file = KeywordFile(LineSource(text))
    return keyword_file, list(keyword_file.rows())


def fixture(name: str) -> tuple[KeywordFile, list[KeywordRow | RejectedRow]]:
    return read((FIXTURES / name).read_bytes())


def good(rows: list[KeywordRow | RejectedRow]) -> list[KeywordRow]:
    return [r for r in rows if isinstance(r, KeywordRow)]


def test_semrush_with_bom_grouped_numbers_and_intents() -> None:
    keyword_file, rows = fixture("semrush.csv")
    assert keyword_file.layout.format == "semrush"
    first, second, third = good(rows)
    assert (first.keyword, first.volume, first.difficulty, first.cpc, first.intent) == (
        "running shoes", 74000, 88, Decimal("1.25"), "commercial")
    assert (second.line, second.intent, second.volume) == (3, "informational", 12100)
    assert third.normalized == first.normalized == "running shoes"


def test_ahrefs_kd_column_and_empty_cpc() -> None:
    keyword_file, rows = fixture("ahrefs.csv")
    assert keyword_file.layout.format == "ahrefs"
    first, second = good(rows)
    assert (first.keyword, first.volume, first.difficulty) == ("marathon training plan", 5400, 45)
    assert second.cpc is None


def test_moz_volume_ranges_take_the_lower_bound() -> None:
    keyword_file, rows = fixture("moz.csv")
    assert keyword_file.layout.format == "moz"
    assert [(r.volume, r.difficulty) for r in good(rows)] == [(501, 34), (1700, 21)]


def test_google_keyword_planner_utf16_tsv_with_preamble() -> None:
    keyword_file, rows = fixture("google_keyword_planner.csv")
    assert keyword_file.layout.format == "google_keyword_planner"
    assert keyword_file.layout.delimiter == "\t"
    parsed = good(rows)
    assert [(r.keyword, r.volume, r.line) for r in parsed] == [
        ("hiking boots", 10000, 4), ("waterproof hiking boots", 1000, 5),
        ("caf\u00e9 hiking", 100, 6)]
    assert parsed[1].cpc == Decimal("0.45")


def test_plain_list_one_keyword_per_line() -> None:
    keyword_file, rows = fixture("plain.txt")
    assert keyword_file.layout.format == "plain"
    assert [(r.line, r.keyword) for r in good(rows)] == [
        (1, "seo tools"), (2, "SEO Tools"), (4, "keyword research")]


def test_bad_rows_are_reported_by_line_and_good_rows_kept() -> None:
    _, rows = fixture("bad_rows.csv")
    assert [r.keyword for r in good(rows)] == ["good one", "good two"]
    assert good(rows)[1].volume == 1200
    rejected = [(r.line, r.reason) for r in rows if isinstance(r, RejectedRow)]
    assert [line for line, _ in rejected] == [3, 4, 5]
    assert "empty" in rejected[0][1]
    assert "volume 'lots'" in rejected[1][1]
    assert "between 0 and 100" in rejected[2][1]


def test_latin1_file_is_refused_with_a_clear_reason() -> None:
    with pytest.raises(UnreadableFileError, match="not UTF-8 or UTF-16"):
        fixture("latin1.csv")


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"PK\x03\x04\x14\x00\x00\x00", "Excel"),
    (bytes(range(256)) * 4, "binary"),
])
def test_unreadable_files(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFileError, match=reason):
        detect_encoding(data)


def test_utf16_without_bom_is_recognised() -> None:
    assert detect_encoding("keyword\nshoes\n".encode("utf-16-le")) == "utf-16-le"


def test_unknown_header_is_refused() -> None:
    with pytest.raises(UnreadableFileError, match="No keyword column"):
        read(b"phrase;vol\nshoes;10\n")


def test_header_only_file_has_no_rows() -> None:
    _, rows = read(b"Keyword,Volume\n")
    assert rows == []


def test_a_huge_single_field_is_rejected_without_keeping_it() -> None:
    data = b"keyword,volume\n" + b"x" * 10_000_000 + b",5\nafter,1\n"
    _, rows = read(data)
    assert isinstance(rows[0], RejectedRow)
    assert (rows[0].line, "longer than") == (2, "longer than")
    assert "longer than" in rows[0].reason
    assert [r.keyword for r in good(rows)] == ["after"]


def test_a_nul_in_a_row_rejects_that_row_with_its_line() -> None:
    _, rows = read(b"keyword,volume\nshoes,10\nbo\x00ots,20\nhats,5\nsocks,\x001\n")
    assert [r.keyword for r in good(rows)] == ["shoes", "hats"]
    rejected = [(r.line, r.reason) for r in rows if isinstance(r, RejectedRow)]
    assert rejected == [(3, "keyword contains a NUL character"),
                        (5, "volume '\\x001' is not a valid number")]


def test_an_invalid_utf8_byte_is_reported_with_its_line() -> None:
    data = b"keyword\nshoes\nhats\nbad \xff byte\nlater\n"
    decoded = DecodedText(io.BytesIO(data), detect_encoding(data[:4]))
    with pytest.raises(UnicodeDecodeError):
        list(KeywordFile(LineSource(decoded)).rows())
    assert decoded.failure == "line 4: byte 0xff is not valid utf-8 text"


# Any text in any cell: every row comes out stored-clean or rejected with its line, and
# reading never fails with anything but a reason for the whole file.
_cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_cells, _cells), min_size=1, max_size=20))
def test_any_cells_give_clean_rows_or_rejections_by_line(cells: list[tuple[str, str]]) -> None:
    lines = ["keyword,volume"] + [
        ",".join('"' + c.replace('"', '""') + '"' for c in pair) for pair in cells]
    data = "\n".join(lines).encode()
    try:
        _, rows = read(data)
    except UnreadableFileError:
        return  # the whole file refused, with a reason (e.g. mostly control characters)
    for row in rows:
        if isinstance(row, KeywordRow):
            assert row.keyword and "\x00" not in row.keyword
            assert not any(unicodedata.category(ch) == "Cc" for ch in row.keyword)
            assert row.volume is None or 0 <= row.volume < 2**63
        else:
            assert row.line >= 2 and row.reason
