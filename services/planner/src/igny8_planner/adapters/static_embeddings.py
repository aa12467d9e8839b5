"""Keyword embeddings from a small static model that ships inside a registry package: no network,
no GPU, no AI credits, the same vector for the same text on every machine.

The model is WordLlama's ``l2_supercat`` (MIT; a 32,000-token x 256 codebook distilled from large
language models' token embeddings, 16 MB), inside the ``wordllama`` wheel. A text's vector is
the mean of its tokens' rows, unit length. It is loaded by explicit path from the installed
package, never through ``WordLlama.load``: that looks for the tokenizer under ``tokenizer/``
while the 0.4.0.post1 wheel keeps it under ``tokenizers/``, and falls back to a hub download;
and importing ``wordllama`` configures the root logger. ``find_spec`` locates the package
without importing it.

Vectors are cached per text (bounded, least recently used first out), so re-clustering a
sector and incremental joins do not embed the same keywords again.
"""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from tokenizers import Tokenizer

Matrix = npt.NDArray[np.float32]

PACKAGE: Final = "wordllama"
WEIGHTS: Final = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER: Final = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
TENSOR_KEY: Final = "embedding.weight"
CACHE_TEXTS: Final = 200_000  # 256 float32 = 1 KiB each: about 200 MiB when full
BATCH: Final = 4_096


class ModelMissingError(RuntimeError):
    """The model's package is not installed (or its files are not where this version keeps
    them): reinstall the planner's dependencies."""


def model_files() -> tuple[Path, Path]:
    """The weights and tokenizer files inside the installed package."""
    spec = importlib.util.find_spec(PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        weights, tokenizer = Path(location) / WEIGHTS, Path(location) / TOKENIZER
        if weights.is_file() and tokenizer.is_file():
            return weights, tokenizer
    raise ModelMissingError(f"The local embedding model ({PACKAGE}: {WEIGHTS}, {TOKENIZER}) is not "
                       "installed; run scripts/bootstrap.sh (or install the planner package).")


class StaticEmbedder:
    """Unit-length text vectors from a token codebook (mean of the tokens' rows)."""

    def __init__(self, codebook: Matrix, tokenizer: Tokenizer,
                 cache_texts: int = CACHE_TEXTS) -> None:
        self._codebook = np.ascontiguousarray(codebook, dtype=np.float32)
        self._tokenizer = tokenizer
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._cache: OrderedDict[str, Matrix] = OrderedDict()
        self._cache_texts = cache_texts
        self._lock = threading.Lock()
        self.embedded = 0  # texts actually embedded (cache misses), for tests and benchmarks

    @classmethod
    def from_package(cls) -> StaticEmbedder:
        weights, tokenizer = model_files()
        codebook = load_file(str(weights))[TENSOR_KEY]
        return cls(codebook, Tokenizer.from_file(str(tokenizer)))

    @property
    def cached(self) -> int:
        """How many texts' vectors the cache holds."""
        return len(self._cache)

    @property
    def dimensions(self) -> int:
        return int(self._codebook.shape[1])

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One unit-length row per text (a text without tokens gives a zero row)."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for row, text in enumerate(texts):
                cached = self._cache.get(text)
                if cached is None:
                    missing.setdefault(text, []).append(row)
                else:
                    self._cache.move_to_end(text)
                    out[row] = cached
        if not missing:
            return out
        fresh = list(missing)
        vectors = np.concatenate([self._embed(fresh[i:i + BATCH])
                                  for i in range(0, len(fresh), BATCH)])
        with self._lock:
            self.embedded += len(fresh)
            for text, vector in zip(fresh, vectors, strict=True):
                out[missing[text]] = vector
                self._cache[text] = vector
                self._cache.move_to_end(text)
            while len(self._cache) > self._cache_texts:
                self._cache.popitem(last=False)
        return out

    def _embed(self, texts: list[str]) -> Matrix:
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(texts))
        pooled = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        has_tokens = lengths > 0
        if has_tokens.any():
            ids = np.concatenate([np.asarray(e.ids, dtype=np.int64) for e in encodings])
            np.clip(ids, 0, self._codebook.shape[0] - 1, out=ids)
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[has_tokens]
            pooled[has_tokens] = np.add.reduceat(self._codebook[ids], starts, axis=0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Matrix = np.divide(pooled, norms, out=np.zeros_like(pooled), where=norms > 0)
        return unit


@cache
def local_embedder() -> StaticEmbedder:
    """The process's one embedder (loaded on first use: ~0.5 s, ~40 MB)."""
    return StaticEmbedder.from_package()
