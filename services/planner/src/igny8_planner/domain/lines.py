"""Physical lines of a text stream, each at most ``max_chars`` long: a longer line is cut (and
remembered) so one huge field never sits whole in memory. The stream is read in large blocks
split with C string methods; a line ends at "\\n", "\\r\\n" or "\\r" and keeps its ending."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final, Protocol

MAX_LINE_CHARS: Final = 64 * 1024
BLOCK_CHARS: Final = 1024 * 1024
# str.splitlines also splits at these; a block holding one is split by the slower pattern.
_OTHER_BREAKS: Final = ("\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_LINE: Final = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_END: Final = re.compile(r"\r\n|\r|\n")


class TextSource(Protocol):
    def read(self, size: int = -1, /) -> str: ...


def split_lines(text: str) -> list[str]:
    """``text`` cut after each line ending (the last piece may have none)."""
    if any(c in text for c in _OTHER_BREAKS):
        return _LINE.findall(text)
    return text.splitlines(keepends=True)


def content_length(line: str) -> int:
    """The length of ``line`` without its line ending."""
    if line.endswith("\r\n"):
        return len(line) - 2
    return len(line) - 1 if line.endswith(("\n", "\r")) else len(line)


class LineSource:
    def __init__(self, stream: TextSource, max_chars: int = MAX_LINE_CHARS,
                 block_chars: int = BLOCK_CHARS) -> None:
        self._stream = stream
        self.max_chars = max_chars
        self._block_chars = max(block_chars, 1)
        self.line_count = 0
        self.overlong: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        max_chars = self.max_chars
        for line in self._lines():
            self.line_count += 1
            if len(line) >= max_chars and content_length(line) >= max_chars:
                self.overlong.add(self.line_count)
                line = line[:max_chars] + "\n"
            yield line

    def _lines(self) -> Iterator[str]:
        """Lines as they are, except that one longer than ``max_chars`` is cut after
        ``max_chars + 1`` characters (so never held whole)."""
        carry = ""
        skipping = False  # through the rest of a line already cut
        after_cr = False  # that rest ended with "\r" at the end of a block
        while block := self._stream.read(self._block_chars):
            if after_cr and block.startswith("\n"):  # the "\n" of a split "\r\n"
                block = block[1:]
            after_cr = False
            if skipping:
                end = _END.search(block)
                if end is None:
                    continue
                skipping = False
                after_cr = end.group() == "\r" and end.end() == len(block)
                block = block[end.end():]
            lines = split_lines(carry + block if carry else block)
            carry = lines.pop() if lines else ""
            if carry.endswith("\n"):
                lines.append(carry)
                carry = ""
            yield from lines
            # A last piece ending in "\r" is a whole line (kept only to see if "\n" follows).
            if len(carry) > self.max_chars and not carry.endswith("\r"):
                yield carry[:self.max_chars + 1]
                carry, skipping = "", True
        if carry:
            yield carry
