"""The one execution path every AI function runs through.

INIT → PREP → AI_CALL → PARSE → SAVE → DONE, reporting progress at each phase. An answer that
was cut off (``finish_reason: length``), is not JSON, or does not validate against the
function's answer model is asked for again a bounded number of times; if none is usable the
operation fails with ``AIFunctionFailed`` and SAVE is never called.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar
from uuid import uuid4

from pydantic import BaseModel, ValidationError

from igny8_ai.deterministic import estimate_tokens
from igny8_ai.functions_base import AIFunction, InvalidAnswer, InvalidRequest
from igny8_ai.limits import LimiterRegistry, Sleep
from igny8_ai.offline import OFFLINE_MODEL
from igny8_ai.prompts import PromptValidationError, resolve_prompt
from igny8_ai.providers import ChatCompletion, ChatRequest, Provider, ProviderError
from igny8_ai.retrying import attempts_made, provider_attempts, provider_deadline
from igny8_ai.usage import UsageRecord
from igny8_runtime.faults import is_infrastructure_fault
from igny8_runtime.logging import get_logger

RequestT = TypeVar("RequestT")
AnswerT = TypeVar("AnswerT", bound=BaseModel)
ResultT = TypeVar("ResultT")

log = get_logger("igny8_ai.engine")


class Phase(StrEnum):
    INIT = "INIT"
    PREP = "PREP"
    AI_CALL = "AI_CALL"
    PARSE = "PARSE"
    SAVE = "SAVE"
    DONE = "DONE"


# Where each phase starts on the progress bar (the seeds' ranges: INIT 0-10 %, PREP 10-25 %, …).
PHASE_PERCENT = {Phase.INIT: 0, Phase.PREP: 10, Phase.AI_CALL: 25, Phase.PARSE: 60,
                 Phase.SAVE: 80, Phase.DONE: 100}

OFFLINE_DONE = "done (offline provider: placeholder output, no AI model was used)"
ProgressCallback = Callable[[Phase, int, str], Awaitable[None]]


class AIFunctionFailed(Exception):  # noqa: N818 - the name the services use
    """The operation failed; ``usage`` holds what was consumed anyway (for billing)."""

    def __init__(self, reason: str, phase: Phase, usage: UsageRecord) -> None:
        super().__init__(f"{usage.operation_type} failed in {phase}: {reason}")
        self.reason = reason
        self.phase = phase
        self.usage = usage


@dataclass(frozen=True)
class AIContext:
    account_id: str
    provider: Provider
    operation_id: str = field(default_factory=lambda: str(uuid4()))
    prompt_override: str | None = None  # the account's own template for the function's prompt
    on_progress: ProgressCallback | None = None


@dataclass(frozen=True)
class OperationResult(Generic[ResultT]):
    result: ResultT
    usage: UsageRecord

    @property
    def offline(self) -> bool:
        """True when the answer came from the offline provider: say so to the user."""
        return self.usage.offline


class _Progress:
    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self.phase = Phase.INIT
        self._percent = 0

    async def __call__(self, phase: Phase, message: str) -> None:
        self.phase = phase
        # A retried call goes back to AI_CALL; the bar never moves backwards.
        self._percent = max(self._percent, PHASE_PERCENT[phase])
        if self._callback is not None:
            await self._callback(phase, self._percent, message)


class AIEngine:
    def __init__(self, limiters: LimiterRegistry | None = None, sleep: Sleep = asyncio.sleep) -> None:
        self.limiters = limiters or LimiterRegistry()
        self._sleep = sleep

    async def run(self, function: AIFunction[RequestT, AnswerT, ResultT], request: RequestT,
                  context: AIContext) -> OperationResult[ResultT]:
        provider = context.provider
        usage = UsageRecord(
            operation_id=context.operation_id, operation_type=function.name,
            account_id=context.account_id, provider=provider.name, offline=provider.offline,
            model=OFFLINE_MODEL if provider.offline else provider.config.model,
        )
        progress = _Progress(context.on_progress)
        try:
            await progress(Phase.INIT, f"starting {function.name}")
            function.validate(request)
            template = resolve_prompt(function.prompt_key, context.prompt_override)
            await progress(Phase.PREP, "preparing the prompt")
            variables = function.prepare(request)
            chat = ChatRequest(
                messages=function.build_messages(template.render(**variables)),
                max_tokens=function.max_tokens, temperature=function.temperature,
                prompt_key=function.prompt_key, variables=variables,
            )
            answer = await self._usable_answer(function, request, chat, context, usage, progress)
            await progress(Phase.SAVE, "saving the results")
            result = await function.save(answer, request, context)
        except AIFunctionFailed:
            raise
        except (InvalidRequest, PromptValidationError) as exc:
            raise AIFunctionFailed(str(exc), progress.phase, usage) from exc
        except Exception as exc:
            if is_infrastructure_fault(exc):
                # PostgreSQL or NATS, not the function: the caller's message is handled again
                # once they answer, instead of the task failing for good.
                raise
            raise AIFunctionFailed(f"{type(exc).__name__}: {exc}", progress.phase, usage) from exc
        usage.succeeded = True
        await progress(Phase.DONE, OFFLINE_DONE if provider.offline else "done")
        return OperationResult(result, usage)

    async def _usable_answer(self, function: AIFunction[RequestT, AnswerT, Any], request: RequestT,
                             chat: ChatRequest, context: AIContext, usage: UsageRecord,
                             progress: _Progress) -> AnswerT:
        attempts = context.provider.config.retry.max_answer_attempts
        reason = ""
        for attempt in range(1, attempts + 1):
            retrying = f" (attempt {attempt}/{attempts}; previous answer {reason})" if reason else ""
            await progress(Phase.AI_CALL, f"asking {context.provider.name}{retrying}")
            completion = await self._complete(chat, context, usage, progress)
            await progress(Phase.PARSE, "checking the answer")
            try:
                return _parse(function, request, completion)
            except InvalidAnswer as exc:
                reason = str(exc)
                log.warning("ai_answer_unusable", operation=function.name, attempt=attempt,
                            reason=reason, operation_id=context.operation_id)
        raise AIFunctionFailed(f"no usable answer after {attempts} attempt(s); last: {reason}",
                               Phase.PARSE, usage)

    async def _complete(self, chat: ChatRequest, context: AIContext, usage: UsageRecord,
                        progress: _Progress) -> ChatCompletion:
        """One completion, retrying transport failures (429, 5xx, timeouts) with backoff."""
        provider = context.provider
        config = provider.config
        limiter = self.limiters.get(provider.name, context.account_id, config.limits)
        estimate = sum(estimate_tokens(m.content) for m in chat.messages) + chat.max_tokens

        async def before_retry(error: ProviderError, attempt: int, delay: float) -> None:
            log.warning("ai_call_retry", provider=provider.name, attempt=attempt, reason=error.reason,
                        delay=round(delay, 3), operation_id=context.operation_id)
            await progress(Phase.AI_CALL, f"{error.reason}; retrying in {delay:.1f}s")

        attempts = provider_attempts(config.retry, self._sleep, before_retry)
        try:
            async for attempt in attempts:
                with attempt:
                    async with limiter.slot(estimate) as settlement:
                        # The client has the same timeout; this one also bounds a slow trickle.
                        async with provider_deadline(config.timeout_seconds, "the provider"):
                            completion = await provider.complete(chat)
                        settlement.actual = completion.prompt_tokens + completion.completion_tokens
                    usage.add_call(completion.model, completion.prompt_tokens,
                                   completion.completion_tokens)
                    return completion
        except ProviderError as error:
            raise AIFunctionFailed(f"provider call failed after {attempts_made(attempts)} "
                                   f"attempt(s): {error.reason}", Phase.AI_CALL, usage) from error
        raise AssertionError("unreachable: an attempt returns or raises")


def _parse(function: AIFunction[RequestT, AnswerT, Any], request: RequestT,
           completion: ChatCompletion) -> AnswerT:
    if completion.truncated:
        raise InvalidAnswer("was truncated (finish_reason=length): the provider hit its token limit")
    try:
        data = json.loads(completion.content)
    except json.JSONDecodeError as exc:
        raise InvalidAnswer(f"was not valid JSON ({exc.msg} at char {exc.pos})") from exc
    try:
        answer = function.answer_model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}"
                             for e in exc.errors()[:5])
        raise InvalidAnswer(f"did not match {function.answer_model.__name__} ({problems})") from exc
    return function.parse(answer, request)
