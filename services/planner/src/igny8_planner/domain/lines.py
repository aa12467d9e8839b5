"""Physical lines of a text stream, each at most ``max_chars`` long: a longer line is cut (and
remembered) so one huge field never sits whole in memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final, Protocol

MAX_LINE_CHARS: Final = 64 * 1024


class TextSource(Protocol):
    def readline(self, size: int = -1, /) -> str: ...


class LineSource:
    def __init__(self, stream: TextSource, max_chars: int = MAX_LINE_CHARS) -> None:
        self._stream = stream
        self.max_chars = max_chars
        self.line_count = 0
        self.overlong: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        while True:
            line = self._stream.readline(self.max_chars)
            if not line:
                return
            self.line_count += 1
            if len(line) >= self.max_chars and not line.endswith(("\n", "\r")):
                self.overlong.add(self.line_count)
                self._skip_rest_of_line()
                line += "\n"
            yield line

    def _skip_rest_of_line(self) -> None:
        while True:
            rest = self._stream.readline(self.max_chars)
            if not rest or rest.endswith(("\n", "\r")):
                return
