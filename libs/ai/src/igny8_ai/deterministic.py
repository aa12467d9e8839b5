"""Deterministic stand-ins for model output, shared by the offline provider and the fake server.

Nothing here is random: the same input always gives the same output, so tests and demos repeat.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import zlib
from collections.abc import Sequence

EMBEDDING_DIMENSIONS = 64
_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "best", "buy", "by", "can", "do", "does", "for",
    "from", "how", "i", "in", "is", "it", "my", "near", "of", "on", "or", "the", "to", "vs",
    "what", "when", "where", "which", "who", "why", "with", "your",
))


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def estimate_tokens(text: str) -> int:
    """Roughly four characters per token, the usual rule of thumb for English text."""
    return max(1, math.ceil(len(text) / 4))


def hashed_embedding(text: str, dimensions: int = EMBEDDING_DIMENSIONS) -> list[float]:
    """Hashed bag of words, L2-normalised: texts sharing words get a high cosine similarity."""
    vector = [0.0] * dimensions
    for word in words(text):
        if word in STOPWORDS:
            continue
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        index = int.from_bytes(digest[:4], "little") % dimensions
        sign = 1.0 if digest[4] % 2 == 0 else -1.0
        vector[index] += sign
    norm = math.sqrt(sum(value * value for value in vector))
    if norm == 0:
        return vector
    return [value / norm for value in vector]


def short_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def tiny_png(seed: str, size: int = 8) -> bytes:
    """A small solid-colour PNG whose colour is derived from ``seed``."""
    red, green, blue = hashlib.sha256(seed.encode()).digest()[:3]
    row = b"\x00" + bytes((red, green, blue)) * size
    raw = row * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def cosine(left: Sequence[float], right: Sequence[float]) -> float:
    dot = sum(a * b for a, b in zip(left, right, strict=True))
    norms = math.sqrt(sum(a * a for a in left)) * math.sqrt(sum(b * b for b in right))
    return dot / norms if norms else 0.0
