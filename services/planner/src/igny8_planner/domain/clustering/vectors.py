"""Keyword texts as L2-normalised sparse TF-IDF vectors.

Words and character n-grams inside words are weighted together: words carry the topic,
character n-grams make "shoe"/"shoes" or "e-bike"/"ebike" similar without a language-specific
stemmer. Term frequency is sublinear because a keyword repeating a word is no more about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

# Words matter more than the character n-grams that spell them.
WORD_WEIGHT: Final = 1.0
CHAR_WEIGHT: Final = 0.6


def _word_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                           token_pattern=r"(?u)\b\w+\b", dtype=np.float32)


def _char_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True,
                           dtype=np.float32)


def keyword_vectors(texts: Sequence[str]) -> sp.csr_matrix:
    """One unit-length row per text (an empty text gives a zero row)."""
    words = _word_vectorizer().fit_transform(texts) if _has_words(texts) else None
    chars = _char_vectorizer().fit_transform(texts) if _has_chars(texts) else None
    parts = [normalize(m) * w for m, w in ((words, WORD_WEIGHT), (chars, CHAR_WEIGHT))
             if m is not None]
    if not parts:
        return sp.csr_matrix((len(texts), 1), dtype=np.float32)
    combined: sp.csr_matrix = normalize(sp.hstack(parts, format="csr"))
    return combined.astype(np.float32)


def _has_words(texts: Sequence[str]) -> bool:
    return any(any(ch.isalnum() for ch in text) for text in texts)


def _has_chars(texts: Sequence[str]) -> bool:
    return any(len(text.strip()) >= 3 for text in texts)
