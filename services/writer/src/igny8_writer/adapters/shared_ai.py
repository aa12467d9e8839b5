"""The writer process's one AI engine.

Every AI call the writer makes for an account — articles, image prompts and images — goes
through the engine's ``LimiterRegistry``: one limiter per (provider, account). An account whose
articles and images are generated at the same time therefore never has more calls in flight at
its provider (nor more requests or tokens per minute) than its limits allow. The engine is
built once when the service starts and reached by handlers with ``ctx.get(AIEngine)``.
"""

from __future__ import annotations

from igny8_ai import AIEngine
from igny8_ai.limits import LimiterRegistry
from igny8_runtime.service import ServiceRuntime


async def provide_ai_engine(runtime: ServiceRuntime) -> None:
    """Start hook: the engine (and limiters) every AI call of this process shares; never built
    twice."""
    if AIEngine not in runtime.provided:
        runtime.provide(AIEngine(LimiterRegistry()))
