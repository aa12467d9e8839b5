"""The import's fast path gives what the general reader gives: block-read lines, the quick row
parser, strict decoding, per-file deduplication, COPY text and time-ordered ids."""

from __future__ import annotations

import io
import itertools
import re
import uuid
from decimal import Decimal

import pytest

from igny8_planner.adapters.import_staging import copy_line, time_ordered_id_parts
from igny8_planner.domain.csv_import import KeywordFile, Layout, RejectedRow, parse_row
from igny8_planner.domain.encoding import DecodedText
from igny8_planner.domain.import_report import ImportReport
from igny8_planner.domain.lines import LineSource
from igny8_planner.domain.staged_rows import StagedRow, quick_row, staged
from igny8_planner.service_layer.import_batches import StagedBatches

LAYOUT = Layout("semrush", ",", 2, keyword=0, volume=1, difficulty=2, cpc=3, intent=4)


def comparable(row: StagedRow) -> tuple[object, ...]:
    """The values the database stores ("1.2" and "1.20" are the same cpc)."""
    keyword, normalized, volume, difficulty, cpc, intent = row
    return (keyword, normalized, None if volume is None else int(volume),
            None if difficulty is None else int(difficulty),
            None if cpc is None else Decimal(cpc), intent)


KEYWORDS = ["running shoes", "  Trail   Running\tShoes ", "a\\b", "", "x" * 256, "bad\x01",
            "caf\u00e9", "\ufb01ne", "=sum(a1)"]
COUNTS = ["", "0", "007", "45", "100", "101", "12,100", "1,234,567", "1,234,567,890",
          "1234567890", "9999999999", "\u00b2", " 88 ", "1.5K", "501-850", "n/a", "lots",
          "1,23"]
MONEY = ["", "1.25", "0.5", "3", "1.005", "$1.20", "0,45", "9999999999", "10000000000", "x"]
INTENTS = ["", "Commercial", "i, t", "nope"]


def test_quick_rows_equal_parsed_rows_and_cover_plain_rows() -> None:
    quick = 0
    for keyword, volume, difficulty, cpc, intent in itertools.product(
            KEYWORDS, COUNTS[::3], COUNTS, MONEY, INTENTS[:2]):
        cells = [keyword, volume, difficulty, cpc, intent]
        fast = quick_row(cells, LAYOUT)
        if fast is None:
            continue
        quick += 1
        parsed = parse_row(2, cells, LAYOUT)
        assert not isinstance(parsed, RejectedRow), cells
        assert comparable(fast) == comparable(staged(parsed)), cells
    assert quick > 500
    assert quick_row(["Running  Shoes", "12,100", "45", "1.25", "c"], LAYOUT) == (
        "Running Shoes", "running shoes", "12100", "45", "1.25", "commercial")


@pytest.mark.parametrize("cells", [
    ["caf\u00e9", "1"], ["shoes", "1.5K"], ["shoes", "1", "101"], ["shoes", "", "", "1.005"],
    ["", "1"], ["bad\x01", "1"], ["shoes", "5-10"],
])
def test_unusual_rows_are_left_to_the_general_parser(cells: list[str]) -> None:
    assert quick_row(cells, LAYOUT) is None


def reference_lines(text: str, max_chars: int) -> tuple[list[str], set[int]]:
    """Line by line: a line is cut to ``max_chars`` (plus "\\n") and marked when longer."""
    lines, overlong = [], set()
    for number, line in enumerate(re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+", text), 1):
        content = line.rstrip("\r\n")
        if len(content) >= max_chars:
            overlong.add(number)
            line = content[:max_chars] + "\n"
        lines.append(line)
    return lines, overlong


@pytest.mark.parametrize("block_chars", [1, 2, 3, 5, 64])
def test_block_read_lines_equal_line_by_line(block_chars: int) -> None:
    pieces = ["ab", "\r\n", "\r", "\n", "xxxxxxxxxxxx", ",", "\u2028", "\x0c", "\u00e9"]
    texts = ["".join(p) for p in itertools.product(pieces, repeat=3)]
    texts += ["keyword\r\n" + "y" * 40 + "\r\nlast", "a\rb\r\r\nc" * 3]
    for text in texts:
        source = LineSource(io.StringIO(text), max_chars=6, block_chars=block_chars)
        assert (list(source), source.overlong) == reference_lines(text, 6), repr(text)


def test_a_line_longer_than_the_limit_is_never_held_whole() -> None:
    source = LineSource(io.StringIO("k\n" + "x" * 10_000 + "\nafter\n"), max_chars=100,
                        block_chars=64)
    lines = list(source)
    assert lines == ["k\n", "x" * 100 + "\n", "after\n"]
    assert source.overlong == {2}


def test_decoding_gives_the_text_before_a_bad_byte_then_fails() -> None:
    text = DecodedText(io.BytesIO("caf\u00e9 ok\n".encode() + b"\xff rest"), "utf-8")
    assert text.read(4) + text.read(100) == "caf\u00e9 ok\n"
    with pytest.raises(UnicodeDecodeError):
        text.read(100)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le"])
def test_decoding_in_small_reads_equals_decoding_whole(encoding: str) -> None:
    data = "keyword\r\ncaf\u00e9 \U0001f600\n".encode(encoding)
    text = DecodedText(io.BytesIO(data), encoding)
    assert "".join(iter(lambda: text.read(3), "")) == data.decode(encoding)


def test_batches_keep_the_first_of_repeated_keywords_and_count_every_row() -> None:
    data = ("Keyword,Volume\nShoes,10\nshoes,20\n,5\nBoots,x\nboots,7\n\u0053hoes ,30\n"
            "caf\u00e9,1\nCAF\u00c9,2\n")
    report = ImportReport(dry_run=False)
    keyword_file = KeywordFile(LineSource(io.StringIO(data)))
    batches = StagedBatches(keyword_file, report, lambda: 0.5, batch_rows=2)
    found = list(iter(batches.next, None))
    assert [batch.rows for batch in found] == [2, 1]
    assert b"".join(batch.lines for batch in found).decode() == (
        "Shoes\tshoes\t10\t\\N\t\\N\t\\N\nboots\tboots\t7\t\\N\t\\N\t\\N\n"
        "caf\u00e9\tcaf\u00e9\t1\t\\N\t\\N\t\\N\n")
    assert (report.rows, report.valid, report.rejected) == (8, 6, 2)
    assert [r.line for r in report.rejected_rows] == [4, 5]


def test_copy_text_escapes_backslashes_and_writes_nulls() -> None:
    assert copy_line(("a\\b", "a\\b", None, "5", None, "commercial")) == (
        "a\\\\b\ta\\\\b\t\\N\t5\t\\N\tcommercial\n")


def test_ids_are_uuid7_in_counter_order() -> None:
    head, first, tail = time_ordered_id_parts(now=1_700_000_000.123)
    ids = [uuid.UUID(f"{head}{first + n:010x}{tail}") for n in (1, 2, 10, 1000)]
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert ids == sorted(ids)
    assert int(ids[0].hex[:12], 16) == 1_700_000_000_123
    other_head, other_first, _ = time_ordered_id_parts(now=1_700_000_000.123)
    assert (other_head, other_first) != (head, first)
