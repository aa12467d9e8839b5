"""The engine against the fake server through the real openai client: each fault handled."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from igny8_ai import AIContext, AIEngine, AIFunctionFailed, AutoCluster, ClusterRequest, Phase
from igny8_ai.fake_server import FakeOpenAI
from igny8_ai.fake_state import Fault, FaultKind
from igny8_ai.providers import OpenAICompatibleProvider
from igny8_ai.schemas import ClusteringAnswer
from igny8_ai.testing import RecordingSave

ProviderFactory = Callable[..., OpenAICompatibleProvider]
SaveRecorder = RecordingSave[ClusteringAnswer]
KEYWORDS = ["running shoes", "trail running shoes", "best running shoes", "yoga mat", "cheap yoga mat"]

REQUEST = ClusterRequest(keywords=KEYWORDS, sector="Sports")


def chat_statuses(fake: FakeOpenAI) -> list[int]:
    return [record.status for record in fake.state.records("/chat/completions")]


async def test_a_clean_call_saves_the_validated_answer(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder
) -> None:
    outcome = await AIEngine().run(AutoCluster(save=recorder), REQUEST,
                                   AIContext(account_id="acc-1", provider=make_provider()))

    assert outcome.result == 1
    assert [c.name for c in recorder.saved[0].clusters] == ["Running shoes", "Yoga mats"]
    assert outcome.usage.succeeded and outcome.usage.calls == 1 and not outcome.offline


async def test_429_waits_for_retry_after_then_succeeds(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder
) -> None:
    fake.inject(Fault(FaultKind.RATE_LIMIT, retry_after=1))

    outcome = await AIEngine().run(AutoCluster(save=recorder), REQUEST,
                                   AIContext(account_id="acc-1", provider=make_provider()))

    first, second = fake.state.records("/chat/completions")
    assert (first.status, second.status) == (429, 200)
    # Our backoff would have waited ~0.01 s; only the header explains a full second.
    assert second.started - first.finished >= 0.95
    assert outcome.usage.calls == 1 and len(recorder.saved) == 1


async def test_500_is_retried(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder
) -> None:
    fake.inject(Fault(FaultKind.SERVER_ERROR), Fault(FaultKind.SERVER_ERROR))

    await AIEngine().run(AutoCluster(save=recorder), REQUEST,
                         AIContext(account_id="acc-1", provider=make_provider()))

    assert chat_statuses(fake) == [500, 500, 200]
    assert len(recorder.saved) == 1


async def test_500_on_every_attempt_fails_clearly(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder
) -> None:
    fake.inject(*[Fault(FaultKind.SERVER_ERROR)] * 3)

    with pytest.raises(AIFunctionFailed) as failed:
        await AIEngine().run(AutoCluster(save=recorder), REQUEST,
                             AIContext(account_id="acc-1", provider=make_provider(max_attempts=3)))

    assert failed.value.phase is Phase.AI_CALL
    assert "after 3 attempt(s)" in failed.value.reason and "HTTP 500" in failed.value.reason
    assert chat_statuses(fake) == [500, 500, 500]
    assert recorder.saved == [] and not failed.value.usage.succeeded


async def test_a_hung_call_times_out_and_is_retried(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder
) -> None:
    fake.inject(Fault(FaultKind.HANG, hang_seconds=5))
    started = time.monotonic()

    await AIEngine().run(AutoCluster(save=recorder), REQUEST,
                         AIContext(account_id="acc-1", provider=make_provider(timeout=0.5)))

    elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 4
    assert fake.state.request_count == 2 and len(recorder.saved) == 1


async def test_timeouts_on_every_attempt_fail_clearly(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder
) -> None:
    fake.inject(Fault(FaultKind.HANG, hang_seconds=5), Fault(FaultKind.HANG, hang_seconds=5))

    provider = make_provider(timeout=0.3, max_attempts=2)

    with pytest.raises(AIFunctionFailed) as failed:
        await AIEngine().run(AutoCluster(save=recorder), REQUEST,
                             AIContext(account_id="acc-1", provider=provider))

    assert failed.value.phase is Phase.AI_CALL and "timeout" in failed.value.reason
    assert recorder.saved == []


@pytest.mark.parametrize(
    ("kind", "reason"),
    [(FaultKind.MALFORMED_CONTENT, "not valid JSON"), (FaultKind.TRUNCATED, "truncated")],
)
async def test_an_unusable_answer_is_asked_for_again(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder, kind: FaultKind, reason: str
) -> None:
    fake.inject(Fault(kind))
    messages: list[str] = []

    async def on_progress(phase: Phase, percent: int, message: str) -> None:
        messages.append(message)

    outcome = await AIEngine().run(
        AutoCluster(save=recorder), REQUEST,
        AIContext(account_id="acc-1", provider=make_provider(), on_progress=on_progress),
    )

    assert fake.state.request_count == 2 and len(recorder.saved) == 1
    assert outcome.usage.calls == 2  # the unusable answer cost tokens too
    assert any(reason in message for message in messages)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [(FaultKind.MALFORMED_CONTENT, "not valid JSON"), (FaultKind.TRUNCATED, "truncated")],
)
async def test_unusable_answers_every_time_fail_and_never_reach_save(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder, kind: FaultKind, reason: str
) -> None:
    fake.inject(*[Fault(kind)] * 3)
    phases: list[Phase] = []

    async def on_progress(phase: Phase, percent: int, message: str) -> None:
        phases.append(phase)

    context = AIContext(account_id="acc-1", provider=make_provider(max_answer_attempts=3),
                        on_progress=on_progress)

    with pytest.raises(AIFunctionFailed) as failed:
        await AIEngine().run(AutoCluster(save=recorder), REQUEST, context)

    assert failed.value.phase is Phase.PARSE
    assert "after 3 attempt(s)" in failed.value.reason and reason in failed.value.reason
    assert recorder.saved == [] and Phase.SAVE not in phases
    assert failed.value.usage.calls == 3 and not failed.value.usage.succeeded


async def test_a_malformed_http_body_is_retried(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder
) -> None:
    fake.inject(Fault(FaultKind.MALFORMED_BODY))

    await AIEngine().run(AutoCluster(save=recorder), REQUEST,
                         AIContext(account_id="acc-1", provider=make_provider()))

    assert fake.state.request_count == 2 and len(recorder.saved) == 1


async def test_an_answer_of_the_wrong_shape_fails_validation(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder
) -> None:
    for _ in range(2):
        fake.queue_reply({"groups": [{"title": "Running"}]})

    with pytest.raises(AIFunctionFailed) as failed:
        await AIEngine().run(AutoCluster(save=recorder), REQUEST,
                             AIContext(account_id="acc-1", provider=make_provider(max_answer_attempts=2)))

    assert "did not match ClusteringAnswer" in failed.value.reason and "clusters" in failed.value.reason
    assert recorder.saved == []


async def test_an_answer_naming_none_of_our_keywords_is_unusable(
    fake: FakeOpenAI, make_provider: ProviderFactory, recorder: SaveRecorder
) -> None:
    fake.queue_reply({"clusters": [{"name": "Other", "keywords": ["tennis racket"]}]})

    with pytest.raises(AIFunctionFailed) as failed:
        await AIEngine().run(AutoCluster(save=recorder), REQUEST,
                             AIContext(account_id="acc-1", provider=make_provider(max_answer_attempts=1)))

    assert "none of the requested keywords" in failed.value.reason
    assert recorder.saved == []
