"""Reading keyword exports: Semrush, Ahrefs, Moz, Google Keyword Planner (preamble lines,
"1K - 10K" ranges (en dash)) and generic CSV/TSV with a recognised header, or plain one-keyword-per-line
files. Headers are matched case-insensitively; rows come out validated or rejected with their
line number and the reason."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from typing import Final

from igny8_planner.domain.encoding import UnreadableFileError
from igny8_planner.domain.keywords import InvalidKeywordError, clean_keyword, normalize, parse_intent
from igny8_planner.domain.lines import LineSource
from igny8_planner.domain.numbers import InvalidNumberError, parse_count, parse_money

HEADER_SEARCH_LINES: Final = 10
DELIMITERS: Final = ("\t", ",", ";")
KEYWORD_HEADERS: Final = ("keyword", "keywords", "keyword phrase", "search term", "search terms",
                          "query", "term")
VOLUME_HEADERS: Final = ("volume", "search volume", "monthly volume", "avg. monthly searches",
                         "avg monthly searches", "monthly searches", "global volume", "msv")
DIFFICULTY_HEADERS: Final = ("keyword difficulty", "kd", "kd %", "kd%", "difficulty",
                             "seo difficulty")
CPC_HEADERS: Final = ("cpc", "cpc (usd)", "cpc (eur)", "cpc (gbp)", "top of page bid (low range)")
INTENT_HEADERS: Final = ("intent", "intents", "search intent", "keyword intents")


@dataclass(frozen=True)
class Layout:
    """Where the values are: ``delimiter`` None means one keyword per line."""

    format: str
    delimiter: str | None
    first_data_line: int
    keyword: int = 0
    volume: int | None = None
    difficulty: int | None = None
    cpc: int | None = None
    intent: int | None = None


@dataclass(frozen=True)
class KeywordRow:
    line: int
    keyword: str
    normalized: str
    volume: int | None
    difficulty: int | None
    cpc: Decimal | None
    intent: str | None


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str


def _cell(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").strip().strip('"').casefold().split())


def _find(cells: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in cells:
            return cells.index(name)
    return None


def _format_name(cells: list[str]) -> str:
    if "avg. monthly searches" in cells:
        return "google_keyword_planner"
    if "keyword difficulty" in cells:
        return "semrush"
    if "kd" in cells or "kd %" in cells or "parent keyword" in cells:
        return "ahrefs"
    if "monthly volume" in cells:
        return "moz"
    return "csv"


def _header_layout(line: str, line_number: int) -> Layout | None:
    best: tuple[int, str, list[str]] | None = None
    for delimiter in DELIMITERS:
        cells = [_cell(c) for c in next(csv.reader([line], delimiter=delimiter), [])]
        if _find(cells, KEYWORD_HEADERS) is not None and (best is None or len(cells) > best[0]):
            best = (len(cells), delimiter, cells)
    if best is None:
        return None
    _, delimiter, cells = best
    keyword = _find(cells, KEYWORD_HEADERS)
    assert keyword is not None
    if len(cells) == 1:
        return Layout("plain", None, line_number + 1)
    cpc = _find(cells, CPC_HEADERS)
    if cpc is None:
        cpc = next((i for i, c in enumerate(cells) if c.startswith("cpc")), None)
    return Layout(_format_name(cells), delimiter, line_number + 1, keyword=keyword,
                  volume=_find(cells, VOLUME_HEADERS), difficulty=_find(cells, DIFFICULTY_HEADERS),
                  cpc=cpc, intent=_find(cells, INTENT_HEADERS))


def detect_layout(first_lines: list[str]) -> Layout:
    """The layout of a file from its first lines (raises UnreadableFileError)."""
    for number, line in enumerate(first_lines[:HEADER_SEARCH_LINES], start=1):
        if line.strip():
            layout = _header_layout(line, number)
            if layout is not None:
                return layout
    data = [line for line in first_lines if line.strip()]
    if not data:
        raise UnreadableFileError("The file has no keywords.")
    if any(d in data[0] for d in DELIMITERS):
        raise UnreadableFileError("No keyword column found: the header row should name a column "
                             "'Keyword' (exports of Semrush, Ahrefs, Moz and Google Keyword "
                             "Planner do), or give one keyword per line.")
    return Layout("plain", None, 1)


class KeywordFile:
    """``KeywordFile(LineSource(text))``: ``layout``, then ``rows()`` once."""

    def __init__(self, source: LineSource) -> None:
        self._source = source
        self._lines = iter(source)
        self._head: list[str] = []
        for line in self._lines:
            self._head.append(line)
            if len(self._head) >= HEADER_SEARCH_LINES:
                break
        self.layout = detect_layout(self._head)

    def rows(self) -> Iterator[KeywordRow | RejectedRow]:
        layout = self.layout
        for item in self.cells():
            yield item if isinstance(item, RejectedRow) else parse_row(item[0], item[1], layout)

    def cells(self) -> Iterator[tuple[int, list[str]] | RejectedRow]:
        """Each non-blank record as (its first line, its cells), or rejected when unreadable or
        too long; ``rows()`` is these parsed."""
        layout = self.layout
        body = chain(self._head[layout.first_data_line - 1:], self._lines)
        overlong = self._source.overlong
        if layout.delimiter is None:
            for number, line in enumerate(body, start=layout.first_data_line):
                if line.strip():
                    yield self._checked(number, number, [line]) if overlong else (number, [line])
            return
        reader = csv.reader(body, delimiter=layout.delimiter)
        offset = layout.first_data_line - 1
        while True:
            start = offset + reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RejectedRow(start, f"unreadable row: {exc}")
                continue
            if "".join(cells).strip():
                yield self._checked(start, offset + reader.line_num, cells) if overlong \
                    else (start, cells)

    def _checked(self, start: int, end: int,
                 cells: list[str]) -> tuple[int, list[str]] | RejectedRow:
        if any(n in self._source.overlong for n in range(start, end + 1)):
            return RejectedRow(start, f"line is longer than {self._source.max_chars} characters")
        return start, cells


def _value(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def parse_row(line: int, cells: list[str], layout: Layout) -> KeywordRow | RejectedRow:
    try:
        keyword = clean_keyword(_value(cells, layout.keyword))
    except InvalidKeywordError as exc:
        return RejectedRow(line, str(exc))
    values: dict[str, int | Decimal | None] = {}
    for name, index, parse in (("volume", layout.volume, parse_count),
                               ("difficulty", layout.difficulty, parse_count),
                               ("cpc", layout.cpc, parse_money)):
        raw = _value(cells, index)
        try:
            values[name] = parse(raw)
        except (InvalidNumberError, ArithmeticError, ValueError):
            return RejectedRow(line, f"{name} {_shown(raw.strip())!r} is not a valid number")
    difficulty = values["difficulty"]
    if difficulty is not None and not 0 <= difficulty <= 100:
        return RejectedRow(line, f"difficulty {difficulty} is not between 0 and 100")
    volume = values["volume"]
    cpc = values["cpc"]
    return KeywordRow(line=line, keyword=keyword, normalized=normalize(keyword),
                      volume=int(volume) if volume is not None else None,
                      difficulty=int(difficulty) if difficulty is not None else None,
                      cpc=cpc if isinstance(cpc, Decimal) else None,
                      intent=parse_intent(_value(cells, layout.intent)))
