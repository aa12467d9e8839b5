"""Embedding many texts through a provider, with the engine's limits and retry policy.

``await embed_texts(engine, texts, context)`` sends the texts in batches (one request each,
within the provider/account limiter, transport failures retried with backoff honouring
Retry-After) and answers an ``OperationResult`` whose result is a float32 matrix of unit-length
rows, one per text, plus the usage to report. A batch that cannot be had fails the whole call
with ``AIFunctionFailed`` (its ``usage`` holds what was consumed).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from igny8_ai.deterministic import estimate_tokens
from igny8_ai.engine import AIContext, AIEngine, AIFunctionFailed, OperationResult, Phase
from igny8_ai.limits import Sleep
from igny8_ai.offline import OFFLINE_MODEL
from igny8_ai.providers import Embeddings, ProviderError
from igny8_ai.retrying import attempts_made, provider_attempts, provider_deadline
from igny8_ai.usage import UsageRecord
from igny8_runtime.logging import get_logger

BATCH_SIZE: Final = 256
log = get_logger("igny8_ai.embeddings")

Matrix = npt.NDArray[np.float32]


async def embed_texts(engine: AIEngine, texts: Sequence[str], context: AIContext, *,
                      operation_type: str = "embed", batch_size: int = BATCH_SIZE,
                      sleep: Sleep = asyncio.sleep) -> OperationResult[Matrix]:
    provider = context.provider
    usage = UsageRecord(
        operation_id=context.operation_id, operation_type=operation_type,
        account_id=context.account_id, provider=provider.name, offline=provider.offline,
        model=OFFLINE_MODEL if provider.offline else provider.config.embedding_model)
    matrix: Matrix | None = None
    batches = max(1, -(-len(texts) // batch_size))
    for number, start in enumerate(range(0, len(texts), batch_size), start=1):
        batch = list(texts[start:start + batch_size])
        if context.on_progress is not None:
            await context.on_progress(Phase.AI_CALL, 25 + 55 * (number - 1) // batches,
                                      f"embedding batch {number}/{batches}")
        answer = await _embed_batch(engine, batch, context, usage, sleep)
        if len(answer.vectors) != len(batch):
            raise AIFunctionFailed(f"the provider answered {len(answer.vectors)} embeddings "
                                   f"for {len(batch)} texts", Phase.PARSE, usage)
        vectors = np.asarray(answer.vectors, dtype=np.float32)
        if matrix is None:
            matrix = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        elif vectors.shape[1] != matrix.shape[1]:
            raise AIFunctionFailed("the provider changed the embedding size between batches",
                                   Phase.PARSE, usage)
        matrix[start:start + len(batch)] = vectors
    if matrix is None:
        matrix = np.zeros((0, 1), dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    usage.succeeded = True
    return OperationResult(matrix, usage)


async def _embed_batch(engine: AIEngine, batch: list[str], context: AIContext,
                       usage: UsageRecord, sleep: Sleep) -> Embeddings:
    provider = context.provider
    config = provider.config
    limiter = engine.limiters.get(provider.name, context.account_id, config.limits)
    estimate = sum(estimate_tokens(text) for text in batch)

    async def before_retry(error: ProviderError, attempt: int, delay: float) -> None:
        log.warning("ai_embed_retry", provider=provider.name, attempt=attempt,
                    reason=error.reason, delay=round(delay, 3), operation_id=context.operation_id)

    attempts = provider_attempts(config.retry, sleep, before_retry)
    try:
        async for attempt in attempts:
            with attempt:
                async with limiter.slot(estimate) as settlement:
                    async with provider_deadline(config.timeout_seconds, "the provider"):
                        answer = await provider.embed(batch)
                    settlement.actual = answer.prompt_tokens
                usage.add_call(answer.model, answer.prompt_tokens, 0)
                return answer
    except ProviderError as error:
        raise AIFunctionFailed(f"embedding failed after {attempts_made(attempts)} attempt(s): "
                               f"{error.reason}", Phase.AI_CALL, usage) from error
    raise AssertionError("unreachable: an attempt returns or raises")
