"""Articles and images of one account, generated at the same time in one writer process, share
the account's provider limit: the fake OpenAI-compatible server (reached through the real
openai client) never sees more calls in flight than ``max_concurrency``."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Mapping
from typing import Any

from igny8_ai import AIContext, AIEngine, AIFunctionFailed, ProviderConfig, build_provider
from igny8_ai.account import AccountAiResolved
from igny8_ai.fake_server import FakeOpenAI
from igny8_ai.images import ImageProviderConfig
from igny8_ai.limits import ProviderLimits
from igny8_runtime.service import ServiceRuntime
from igny8_writer.adapters.article_ai import ArticleRequest, WriteArticle
from igny8_writer.adapters.shared_ai import provide_ai_engine
from igny8_writer.app import service
from igny8_writer.service_layer.images import account_image_ai

LIMIT = 3
ACCOUNT = "5b0c9a7e-1d2f-4c3b-9a8e-7f6d5c4b3a21"
KEY = "sk-shared-limits"


def article(body: Mapping[str, Any]) -> str:
    return json.dumps({"title": "Trail shoes: a guide", "html": (
        "<p>Trail shoes for every runner.</p><h2>Grip</h2><p>Lugs.</p>"
        "<h2>Fit</h2><p>Snug.</p>"), "meta_title": "Trail shoes", "language": "en"})


def bare_runtime() -> ServiceRuntime:
    # Only what the AI wiring touches: the objects provided at start-up.
    return ServiceRuntime(service=service, settings=None, db=None, broker=None)  # type: ignore[arg-type]


async def content_and_images(fake: FakeOpenAI, content_engine: AIEngine,
                             image_engine: AIEngine) -> None:
    """Six articles and six images for one account, all started at once, the way the writer's
    two handlers call the engine."""
    chat = ProviderConfig(kind="openai_compatible", base_url=fake.base_url, api_key=KEY,
                          model="fake-chat", limits=ProviderLimits(max_concurrency=LIMIT))
    ai = AccountAiResolved(chat, configured=True)
    image_ai = account_image_ai(ai, image_engine, ImageProviderConfig())
    provider = build_provider(chat)

    async def write(index: int) -> None:
        async def keep(answer: Any, request: ArticleRequest, _: AIContext) -> Any:
            return answer

        request = ArticleRequest(title=f"Trail shoes {index}", primary_keyword="trail shoes",
                                 keywords=["trail shoes"], word_count=10)
        # Whether the article passes its checks is not this test's concern.
        with contextlib.suppress(AIFunctionFailed):
            await content_engine.run(WriteArticle(save=keep), request,
                                     AIContext(account_id=ACCOUNT, provider=provider))

    async def draw(index: int) -> None:
        await image_ai.images.generate(f"A trail runner #{index}", "1024x1024", ACCOUNT)

    try:
        await asyncio.gather(*(write(i) for i in range(6)), *(draw(i) for i in range(6)))
    finally:
        await provider.aclose()
        await image_ai.aclose()


def run_against_fake(engines: tuple[AIEngine, AIEngine]) -> dict[str, Any]:
    with FakeOpenAI.running(latency=0.3, api_key=KEY) as fake:
        fake.responder = article
        asyncio.run(content_and_images(fake, *engines))
        assert fake.state.records("/images/generations") and fake.state.records(
            "/chat/completions")
        stats: dict[str, Any] = fake.state.stats()
        return stats


def engine_of(runtime: ServiceRuntime) -> AIEngine:
    """The engine both handlers take (``ctx.get(AIEngine)``)."""
    return runtime.get(AIEngine)


def test_the_writer_provides_one_engine_per_process() -> None:
    runtime = bare_runtime()
    asyncio.run(provide_ai_engine(runtime))
    engine = engine_of(runtime)
    assert engine_of(runtime) is engine
    asyncio.run(provide_ai_engine(runtime))  # a second start hook call keeps the same engine
    assert engine_of(runtime) is engine


def test_content_and_image_calls_of_one_account_never_exceed_its_limit() -> None:
    runtime = bare_runtime()
    asyncio.run(provide_ai_engine(runtime))
    engine = engine_of(runtime)
    stats = run_against_fake((engine, engine))
    assert stats["max_in_flight"] == LIMIT, stats


def test_engines_built_per_handler_would_exceed_it() -> None:
    """The wiring this replaced (one engine per handler): the fake does see the excess, so the
    test above could fail."""
    stats = run_against_fake((AIEngine(), AIEngine()))
    assert stats["max_in_flight"] > LIMIT, stats
