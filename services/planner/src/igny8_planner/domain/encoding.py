"""Which text encoding an uploaded file uses, judged from its first bytes; binary files and
encodings we cannot read with certainty are refused with a reason the user can act on."""

from __future__ import annotations

import codecs
from typing import Final, Protocol

SAMPLE_BYTES: Final = 64 * 1024

_MAGIC: Final = (
    (b"PK\x03\x04", "a ZIP or Excel (.xlsx) file; export or save it as CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) file; save it as CSV"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
)


class UnreadableFileError(ValueError):
    """The file cannot be read as keyword text (the message says why)."""


def detect_encoding(sample: bytes) -> str:
    """A Python codec name for a file starting with ``sample`` (raises UnreadableFileError)."""
    if not sample:
        raise UnreadableFileError("The file is empty.")
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise UnreadableFileError(f"This is {what}, not CSV/TSV text.")
    if sample.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif sample.count(0) * 10 > len(sample):
        # UTF-16 text of a Latin script is about half NUL bytes; a few stray NULs in UTF-8
        # text are rejected with their rows instead (see ``csv_import``).
        encoding = _bomless_utf16(sample)
    else:
        encoding = "utf-8"
        if _too_many_controls(sample.decode("latin-1")):
            raise UnreadableFileError("This looks like a binary file, not CSV/TSV text.")
    _check_text(sample, encoding)
    return encoding


def _bomless_utf16(sample: bytes) -> str:
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    raise UnreadableFileError("This looks like a binary file, not CSV/TSV text.")


def _check_text(sample: bytes, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        text = decoder.decode(sample, final=False)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"The file is not UTF-8 or UTF-16 text (unexpected byte 0x{sample[exc.start]:02x} at "
            f"offset {exc.start}); export it again as UTF-8.") from exc
    if _too_many_controls(text):
        raise UnreadableFileError("This looks like a binary file, not CSV/TSV text.")


def _too_many_controls(text: str) -> bool:
    """More control characters than text has (a stray few are rejected with their rows)."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls > max(2, len(text) // 100)


class BinarySource(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class DecodedText:
    """A binary stream read as text (``read`` only), strictly decoded: on a bad byte the text
    before it is still given out, and the next ``read`` raises the UnicodeDecodeError."""

    def __init__(self, stream: BinarySource, encoding: str) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)()
        self._error: UnicodeDecodeError | None = None
        self._done = False
        # The line the text given out so far ends on: where a bad byte is, once raised.
        self.line = 1

    @property
    def failure(self) -> str | None:
        """Why the text stopped (its line and byte), once ``read`` raised."""
        if self._error is None:
            return None
        bad = self._error.object[self._error.start:self._error.start + 1]
        return (f"line {self.line}: byte 0x{bad.hex() or '??'} is not valid "
                f"{self._error.encoding} text")

    def read(self, size: int = -1, /) -> str:
        """At most ``size`` characters (about ``size`` bytes' worth); "" at the end."""
        while True:
            if self._error is not None:
                raise self._error
            if self._done:
                return ""
            data = self._stream.read(size if size > 0 else -1)
            self._done = not data or size <= 0
            try:
                text = self._decoder.decode(data, final=self._done)
            except UnicodeDecodeError as exc:
                self._error = exc
                text = codecs.decode(exc.object[:exc.start], exc.encoding)
            if text:
                self.line += text.count("\n")
                return text
