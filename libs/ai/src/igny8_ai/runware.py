"""Runware image provider over its HTTP REST API (httpx).

One POST to ``<base_url>`` (default ``https://api.runware.ai/v1``) with a JSON array of tasks:
an ``authentication`` task carrying the API key, then one ``imageInference`` task
(``taskUUID``, ``positivePrompt``, ``width``/``height``, ``model``, ``outputType``,
``outputFormat``, ``numberResults``). The answer is ``{"data": [{"taskType": "imageInference",
"taskUUID": …, "imageBase64Data" | "imageURL": …}]}``, or ``{"errors": [{"code", "message"}]}``
with a 4xx/5xx status.

Like every provider it makes exactly one attempt and raises ``ProviderError`` (retryable or
not, with Retry-After); retries and limits belong to the caller (``igny8_ai.images``).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

import httpx

from igny8_ai.providers import GeneratedImage, ProviderError, parse_retry_after

DEFAULT_RUNWARE_URL = "https://api.runware.ai/v1"
DEFAULT_RUNWARE_MODEL = "runware:101@1"
# Runware wants dimensions in multiples of 64 between 128 and 2048.
_STEP, _MIN, _MAX = 64, 128, 2048


def runware_dimensions(size: str) -> tuple[int, int]:
    try:
        width_text, height_text = size.lower().split("x", 1)
        width, height = int(width_text), int(height_text)
    except ValueError:
        width, height = 1024, 1024

    def fit(value: int) -> int:
        return max(_MIN, min(_MAX, round(value / _STEP) * _STEP))

    return fit(width), fit(height)


class RunwareImages:
    """Generates one image per call through Runware's ``imageInference`` task."""

    offline = False

    def __init__(self, api_key: str, *, base_url: str | None = None,
                 model: str = DEFAULT_RUNWARE_MODEL, timeout_seconds: float = 60.0,
                 output_type: str = "base64Data", name: str = "runware",
                 client: httpx.AsyncClient | None = None) -> None:
        if not api_key:
            raise ValueError("Runware needs an API key")
        self._api_key = api_key
        self.url = base_url or DEFAULT_RUNWARE_URL
        self.model = model
        self.name = name
        self.output_type = output_type
        self._client = client or httpx.AsyncClient(timeout=timeout_seconds)
        self._owns_client = client is None

    def task(self, prompt: str, size: str) -> list[dict[str, Any]]:
        width, height = runware_dimensions(size)
        return [
            {"taskType": "authentication", "apiKey": self._api_key},
            {"taskType": "imageInference", "taskUUID": str(uuid.uuid4()),
             "positivePrompt": prompt[:3000], "width": width, "height": height,
             "model": self.model, "outputType": self.output_type, "outputFormat": "PNG",
             "numberResults": 1},
        ]

    async def generate_image(self, prompt: str, size: str = "1024x1024") -> GeneratedImage:
        tasks = self.task(prompt, size)
        task_uuid = tasks[1]["taskUUID"]
        try:
            response = await self._client.post(self.url, json=tasks)
        except httpx.TimeoutException as exc:
            raise ProviderError("timeout: Runware did not answer in time", retryable=True) from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"connection error: {exc}", retryable=True) from exc
        try:
            body = response.json()
        except ValueError as exc:
            raise ProviderError(f"malformed response from Runware (HTTP {response.status_code})",
                                retryable=response.status_code >= 500 or response.is_success) from exc
        if not response.is_success or (isinstance(body, dict) and body.get("errors")):
            status = response.status_code
            raise ProviderError(
                f"HTTP {status} from Runware: {_error_message(body)}",
                retryable=status in (408, 409, 429) or status >= 500,
                retry_after=parse_retry_after(response.headers))
        return self._image(body, task_uuid)

    def _image(self, body: Any, task_uuid: str) -> GeneratedImage:
        items = body.get("data") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise ProviderError("malformed response from Runware: no data", retryable=True)
        for item in items:
            if not isinstance(item, dict) or item.get("taskType") != "imageInference":
                continue
            if item.get("taskUUID") not in (None, task_uuid):
                continue
            encoded = item.get("imageBase64Data")
            if isinstance(encoded, str) and encoded:
                try:
                    png = base64.b64decode(encoded, validate=True)
                except (binascii.Error, ValueError) as exc:
                    raise ProviderError("malformed image data from Runware",
                                        retryable=True) from exc
                return GeneratedImage(png=png, url=None, model=self.model)
            url = item.get("imageURL")
            if isinstance(url, str) and url:
                return GeneratedImage(png=None, url=url, model=self.model)
        raise ProviderError("malformed response from Runware: no image for the task", retryable=True)

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()


def _error_message(body: Any) -> str:
    if isinstance(body, dict):
        errors = body.get("errors") or body.get("error")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("message") or errors[0].get("code") or errors[0])[:300]
        if errors:
            return str(errors)[:300]
    return "unexpected answer"
