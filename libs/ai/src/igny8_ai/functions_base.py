"""What an AI function is: its prompt, its answer model, and its steps around the AI call."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from igny8_ai.providers import ChatMessage

if TYPE_CHECKING:
    from igny8_ai.engine import AIContext

RequestT = TypeVar("RequestT")
AnswerT = TypeVar("AnswerT", bound=BaseModel)
ResultT = TypeVar("ResultT")

SaveCallback = Callable[[AnswerT, RequestT, "AIContext"], Awaitable[ResultT]]
SYSTEM_MESSAGE = "You are a careful assistant for SEO content teams. You always answer in JSON."


class InvalidRequest(ValueError):  # noqa: N818
    """The input cannot be worked on (nothing to send); the operation fails before any call."""


class InvalidAnswer(ValueError):  # noqa: N818
    """The provider's answer is unusable (truncated, not JSON, wrong shape or content)."""


class AIFunction(ABC, Generic[RequestT, AnswerT, ResultT]):
    """One AI function; the service supplies ``save`` (persisting is the service's business)."""

    name: ClassVar[str]
    prompt_key: ClassVar[str]
    answer_model: type[AnswerT]
    max_tokens: int = 4000
    temperature: float = 0.7

    def __init__(self, save: SaveCallback[AnswerT, RequestT, ResultT]) -> None:
        self._save = save

    def validate(self, request: RequestT) -> None:
        """INIT: raise ``InvalidRequest`` if there is nothing sensible to ask."""

    @abstractmethod
    def prepare(self, request: RequestT) -> dict[str, str]:
        """PREP: the prompt template's variables."""

    def build_messages(self, prompt: str) -> list[ChatMessage]:
        return [ChatMessage("system", SYSTEM_MESSAGE), ChatMessage("user", prompt)]

    def parse(self, answer: AnswerT, request: RequestT) -> AnswerT:
        """PARSE: check the validated answer against the request; raise ``InvalidAnswer``."""
        return answer

    async def save(self, answer: AnswerT, request: RequestT, context: AIContext) -> ResultT:
        return await self._save(answer, request, context)
