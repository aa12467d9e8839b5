"""AI providers: any OpenAI-compatible endpoint, and the offline provider (the default).

Providers make exactly one attempt per call and translate failures into ``ProviderError``
(retryable or not, with the server's Retry-After); the engine owns retries and limits.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal, Protocol

import openai
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel, Field, SecretStr, model_validator

from igny8_ai.limits import ProviderLimits, RetryPolicy

OFFLINE_MARK = "[offline provider]"


class ProviderError(Exception):
    def __init__(self, reason: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass(frozen=True)
class ChatMessage:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class ChatRequest:
    messages: Sequence[ChatMessage]
    max_tokens: int
    temperature: float = 0.7
    json_mode: bool = True
    # Which prompt produced the messages and with what variables: the offline provider answers
    # from these instead of from the text.
    prompt_key: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChatCompletion:
    content: str
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    model: str
    offline: bool = False

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


@dataclass(frozen=True)
class Embeddings:
    vectors: list[list[float]]
    prompt_tokens: int
    model: str
    offline: bool = False


@dataclass(frozen=True)
class GeneratedImage:
    png: bytes | None
    url: str | None
    model: str
    offline: bool = False


class ProviderConfig(BaseModel):
    """How one account (or the platform default) reaches its AI provider."""

    kind: Literal["offline", "openai_compatible"] = "offline"
    name: str = ""
    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str = "gpt-4o-mini"
    embedding_model: str = "text-embedding-3-small"
    image_model: str = "dall-e-3"
    timeout_seconds: float = Field(default=60.0, gt=0)
    limits: ProviderLimits = Field(default_factory=ProviderLimits)
    retry: RetryPolicy = Field(default_factory=RetryPolicy)

    @model_validator(mode="after")
    def _check(self) -> ProviderConfig:
        if self.kind == "openai_compatible" and not (self.api_key and self.api_key.get_secret_value()):
            raise ValueError("api_key is required for an openai_compatible provider")
        if not self.name:
            self.name = "offline" if self.kind == "offline" else f"openai:{self.base_url or 'default'}"
        return self


class Provider(Protocol):
    config: ProviderConfig

    @property
    def name(self) -> str: ...

    @property
    def offline(self) -> bool: ...

    async def complete(self, request: ChatRequest) -> ChatCompletion: ...

    async def embed(self, texts: Sequence[str]) -> Embeddings: ...

    async def generate_image(self, prompt: str, size: str = "1024x1024") -> GeneratedImage: ...

    async def aclose(self) -> None: ...


def build_provider(config: ProviderConfig) -> Provider:
    if config.kind == "openai_compatible":
        return OpenAICompatibleProvider(config)
    from igny8_ai.offline import OfflineProvider

    return OfflineProvider(config)


class OpenAICompatibleProvider:
    offline = False

    def __init__(self, config: ProviderConfig) -> None:
        assert config.api_key is not None  # the config validator guarantees it
        self.config = config
        self._client = openai.AsyncOpenAI(
            base_url=config.base_url,
            api_key=config.api_key.get_secret_value(),
            timeout=config.timeout_seconds,
            max_retries=0,  # the engine retries, honouring Retry-After and its own limits
        )

    @property
    def name(self) -> str:
        return self.config.name

    async def complete(self, request: ChatRequest) -> ChatCompletion:
        messages: list[ChatCompletionMessageParam] = [
            {"role": m.role, "content": m.content}  # type: ignore[misc]
            for m in request.messages
        ]
        try:
            if request.json_mode:
                response = await self._client.chat.completions.create(
                    model=self.config.model, messages=messages, max_tokens=request.max_tokens,
                    temperature=request.temperature, response_format={"type": "json_object"},
                )
            else:
                response = await self._client.chat.completions.create(
                    model=self.config.model, messages=messages, max_tokens=request.max_tokens,
                    temperature=request.temperature,
                )
        except Exception as exc:
            raise translate_error(exc) from exc
        if not isinstance(response, openai.types.chat.ChatCompletion) or not response.choices:
            raise ProviderError("malformed response: no completion choices", retryable=True)
        choice = response.choices[0]
        usage = response.usage
        return ChatCompletion(
            content=choice.message.content or "",
            finish_reason=choice.finish_reason or "",
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            model=response.model or self.config.model,
        )

    async def embed(self, texts: Sequence[str]) -> Embeddings:
        try:
            response = await self._client.embeddings.create(
                model=self.config.embedding_model, input=list(texts), encoding_format="float"
            )
        except Exception as exc:
            raise translate_error(exc) from exc
        vectors = [list(item.embedding) for item in sorted(response.data, key=lambda d: d.index)]
        return Embeddings(vectors, response.usage.prompt_tokens, response.model)

    async def generate_image(self, prompt: str, size: str = "1024x1024") -> GeneratedImage:
        try:
            response = await self._client.images.generate(
                model=self.config.image_model, prompt=prompt, size=size,
                response_format="b64_json", n=1,
            )
        except Exception as exc:
            raise translate_error(exc) from exc
        if not response.data:
            raise ProviderError("malformed response: no image", retryable=True)
        image = response.data[0]
        png = base64.b64decode(image.b64_json) if image.b64_json else None
        return GeneratedImage(png=png, url=image.url, model=self.config.image_model)

    async def aclose(self) -> None:
        await self._client.close()


def translate_error(exc: Exception) -> ProviderError:
    """An ``openai`` (or decoding) exception as a ``ProviderError`` the engine can act on."""
    if isinstance(exc, openai.APITimeoutError):
        return ProviderError("timeout: the provider did not answer in time", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(f"connection error: {exc}", retryable=True)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        retryable = status in (408, 409, 429) or status >= 500
        return ProviderError(
            f"HTTP {status} from the provider: {exc.message}",
            retryable=retryable,
            retry_after=parse_retry_after(exc.response.headers),
        )
    if isinstance(exc, ValueError | openai.APIResponseValidationError):
        return ProviderError(f"malformed response: {exc}", retryable=True)
    return ProviderError(f"{type(exc).__name__}: {exc}", retryable=False)


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from ``retry-after-ms``, or ``retry-after`` as seconds or an HTTP date."""
    for header, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(header)
        if value is None:
            continue
        try:
            return max(0.0, float(value) / divisor)
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            continue
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return None
