"""Image generation: the configured image provider, called with the engine's limits and retries.

``ImageProviderConfig`` picks the provider: ``offline`` (a placeholder drawn locally, the
default), ``openai_compatible`` (the images endpoint through the ``openai`` client) or
``runware`` (its HTTP API). ``ImageGenerator.generate`` makes one image: it takes a slot of the
(provider, account) limiter shared with the chat calls' ``LimiterRegistry``, retries retryable
failures with the provider's Retry-After or backoff, downloads the picture when the provider
answers with a URL (every hop checked against the SSRF policy: a provider is the account's
choice, so its URLs are customer-supplied), and always hands back PNG bytes.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol
from urllib.parse import urlsplit

import httpx
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, Field, SecretStr, model_validator

from igny8_ai.account import ai_network_settings
from igny8_ai.limits import LimiterRegistry, ProviderLimits, RetryPolicy, Sleep
from igny8_ai.providers import GeneratedImage, ProviderConfig, ProviderError
from igny8_ai.retrying import attempts_made, provider_attempts, provider_deadline
from igny8_ai.runware import DEFAULT_RUNWARE_MODEL
from igny8_runtime.addresses import url_refusal
from igny8_runtime.logging import get_logger

log = get_logger("igny8_ai.images")

MAX_REDIRECTS = 3
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_MIME = "image/png"
# USD per image at 1024x1024 (public price lists); others are unpriced rather than guessed.
IMAGE_PRICES: dict[str, Decimal] = {
    "dall-e-3": Decimal("0.040"), "dall-e-2": Decimal("0.020"), "gpt-image-1": Decimal("0.042"),
    "offline": Decimal("0"),
}
ImageProviderKind = Literal["offline", "openai_compatible", "runware"]


class ImageProviderConfig(BaseModel):
    kind: ImageProviderKind = "offline"
    name: str = ""
    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str = ""
    featured_size: str = "1792x1024"
    in_article_size: str = "1024x1024"
    timeout_seconds: float = Field(default=120.0, gt=0)
    max_download_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    limits: ProviderLimits = Field(default_factory=lambda: ProviderLimits(max_concurrency=4))
    retry: RetryPolicy = Field(default_factory=RetryPolicy)

    @model_validator(mode="after")
    def _check(self) -> ImageProviderConfig:
        if self.kind != "offline" and not (self.api_key and self.api_key.get_secret_value()):
            raise ValueError(f"api_key is required for a {self.kind} image provider")
        if not self.model:
            self.model = {"offline": "offline", "openai_compatible": "dall-e-3",
                          "runware": DEFAULT_RUNWARE_MODEL}[self.kind]
        if not self.name:
            self.name = (f"images:{self.kind}" if self.kind == "offline"
                         else f"images:{self.kind}:{self.base_url or 'default'}")
        return self


class ImageBackend(Protocol):
    """What ``ImageGenerator`` calls: one attempt per call, ``ProviderError`` on failure."""

    async def generate_image(self, prompt: str, size: str = "1024x1024") -> GeneratedImage: ...

    async def aclose(self) -> None: ...


def build_image_backend(config: ImageProviderConfig) -> ImageBackend:
    if config.kind == "runware":
        from igny8_ai.runware import RunwareImages

        assert config.api_key is not None
        return RunwareImages(config.api_key.get_secret_value(), base_url=config.base_url,
                             model=config.model, timeout_seconds=config.timeout_seconds,
                             name=config.name)
    if config.kind == "openai_compatible":
        from igny8_ai.providers import OpenAICompatibleProvider

        return OpenAICompatibleProvider(ProviderConfig(
            kind="openai_compatible", name=config.name, base_url=config.base_url,
            api_key=config.api_key, image_model=config.model,
            timeout_seconds=config.timeout_seconds))
    from igny8_ai.offline import OfflineProvider

    return OfflineProvider()


@dataclass(frozen=True)
class ImageResult:
    png: bytes
    mime_type: str
    model: str
    offline: bool
    attempts: int
    cost_usd: Decimal
    priced: bool


class ImageGenerationFailed(Exception):  # noqa: N818 - reads as what happened
    def __init__(self, reason: str, attempts: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.attempts = attempts


class ImageGenerator:
    """One configured image provider for one process; ``generate`` is safe to call concurrently."""

    def __init__(self, config: ImageProviderConfig, limiters: LimiterRegistry | None = None,
                 backend: ImageBackend | None = None, sleep: Sleep = asyncio.sleep,
                 allow_loopback: bool | None = None) -> None:
        self.config = config
        # Image URLs a provider answers with are fetched under the accounts' SSRF policy.
        self.allow_loopback = (ai_network_settings().allow_loopback if allow_loopback is None
                               else allow_loopback)
        self.limiters = limiters or LimiterRegistry()
        self.backend = backend or build_image_backend(config)
        self._sleep = sleep
        self._http: httpx.AsyncClient | None = None

    @property
    def offline(self) -> bool:
        return self.config.kind == "offline"

    def size_for(self, role: str) -> str:
        return self.config.featured_size if role == "featured" else self.config.in_article_size

    async def generate(self, prompt: str, size: str, account_id: str) -> ImageResult:
        config = self.config
        limiter = self.limiters.get(config.name, account_id, config.limits)

        async def before_retry(error: ProviderError, attempt: int, delay: float) -> None:
            log.warning("image_call_retry", provider=config.name, attempt=attempt,
                        reason=error.reason, delay=round(delay, 3))

        attempts = provider_attempts(config.retry, self._sleep, before_retry)
        try:
            async for attempt in attempts:
                with attempt:
                    async with (limiter.slot(1),
                                provider_deadline(config.timeout_seconds, "the image provider")):
                        image = await self.backend.generate_image(prompt, size)
                        png = await self._png_of(image)
                    return ImageResult(png, PNG_MIME, image.model or config.model, image.offline,
                                       attempt.retry_state.attempt_number,
                                       *image_price(image.model or config.model))
        except ProviderError as error:
            made = attempts_made(attempts)
            raise ImageGenerationFailed(
                f"image provider failed after {made} attempt(s): {error.reason}", made) from error
        raise AssertionError("unreachable: an attempt returns or raises")

    async def _png_of(self, image: GeneratedImage) -> bytes:
        data = image.png
        if data is None:
            if not image.url:
                raise ProviderError("malformed response: neither image bytes nor a URL",
                                    retryable=True)
            data = await self._download(image.url)
        return await asyncio.to_thread(as_png, data)

    async def _vetted(self, url: str) -> str:
        """``url`` if it may be fetched: http(s) to a public address (the SSRF policy of
        ``igny8_runtime.addresses``; loopback only when allowed), else a final ProviderError."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise ProviderError("the provider's image URL is not http(s)", retryable=False)
        refusal = await url_refusal(url, allow_loopback=self.allow_loopback)
        if refusal:
            raise ProviderError(f"the provider's image URL is refused: {refusal}",
                                retryable=False)
        return url

    async def _download(self, url: str) -> bytes:
        """The picture behind a provider's URL: every hop (redirects too) vetted, at most
        ``max_download_bytes``."""
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=self.config.timeout_seconds,
                                           follow_redirects=False)
        limit = self.config.max_download_bytes
        try:
            for _ in range(MAX_REDIRECTS + 1):
                async with self._http.stream("GET", await self._vetted(url)) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = str(response.url.join(response.headers["location"]))
                        continue
                    if response.status_code != 200:
                        raise ProviderError(f"HTTP {response.status_code} downloading the image",
                                            retryable=response.status_code >= 500)
                    chunks: list[bytes] = []
                    size = 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > limit:
                            raise ProviderError(f"the image is larger than {limit} bytes",
                                                retryable=False)
                        chunks.append(chunk)
                    return b"".join(chunks)
        except httpx.HTTPError as exc:
            raise ProviderError(f"downloading the image failed: {exc}", retryable=True) from exc
        raise ProviderError(f"more than {MAX_REDIRECTS} redirects downloading the image",
                            retryable=False)

    async def aclose(self) -> None:
        await self.backend.aclose()
        if self._http is not None:
            await self._http.aclose()


def as_png(data: bytes) -> bytes:
    """``data`` if it is a PNG, else the picture converted to PNG; ``ProviderError`` if it is
    no picture at all."""
    if data.startswith(PNG_MAGIC):
        return data
    try:
        with Image.open(io.BytesIO(data)) as picture:
            out = io.BytesIO()
            picture.save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ProviderError("the provider's answer is not an image", retryable=True) from exc


def image_price(model: str) -> tuple[Decimal, bool]:
    price = IMAGE_PRICES.get(model)
    return (price, True) if price is not None else (Decimal("0"), False)
