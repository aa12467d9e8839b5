"""A fake OpenAI-compatible HTTP server for tests, benchmarks and demos.

It speaks just enough of the API for the real ``openai`` client: chat completions (JSON mode
included), embeddings (float or base64) and image generations (b64_json or url). Latency is
configurable and faults can be queued; each queued fault is applied to the next request, in
order, whatever its endpoint. It also counts requests and the most requests in flight at once.

    with FakeOpenAI.running(latency=0.05) as fake:
        fake.inject(Fault(FaultKind.RATE_LIMIT, retry_after=1))
        client = openai.AsyncOpenAI(base_url=fake.base_url, api_key="test")

``fake.embedder`` turns a batch of texts into vectors: hashed bag-of-words by default (no model,
no dependency); a benchmark may plug in a real model's encoder there (``bench/cluster``).

``FakeOpenAI(api_key="sk-...")`` refuses other keys (401), ``known_models={...}`` other models
(404); ``fake.state.records()`` keeps each request's Authorization header and JSON body.

Standalone: ``python -m igny8_ai.fake_server --port 8900 --latency 0.5``; control it over HTTP
with ``GET /_fake/stats``, ``POST /_fake/faults`` (``{"faults": [{"kind": "rate_limit"}]}``),
``POST /_fake/replies`` (``{"replies": ["{...}"]}``) and ``POST /_fake/reset``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from igny8_ai.deterministic import estimate_tokens, hashed_embedding, short_digest, tiny_png
from igny8_ai.fake_state import FakeState, Fault, FaultKind, RequestRecord

Responder = Callable[[Mapping[str, Any]], str]
Embedder = Callable[[list[str]], Sequence[Sequence[float]]]
MALFORMED_CONTENT = "Sure! Here is the JSON you asked for: {'result': [unterminated"


def default_responder(body: Mapping[str, Any]) -> str:
    """A deterministic answer derived from the prompt: JSON in JSON mode, else plain text."""
    messages = body.get("messages") or []
    last_user = next(
        (str(m.get("content", "")) for m in reversed(messages) if m.get("role") == "user"), ""
    )
    digest = short_digest(json.dumps(messages, sort_keys=True))
    if _json_mode(body):
        return json.dumps({"fake": True, "answer": f"fake answer {digest}", "echo": last_user[:200]})
    return f"fake answer {digest}"


def hashed_embeddings(texts: list[str]) -> list[list[float]]:
    """The default embedder: deterministic hashed bag-of-words vectors."""
    return [hashed_embedding(text) for text in texts]


def _json_mode(body: Mapping[str, Any]) -> bool:
    response_format = body.get("response_format") or {}
    return response_format.get("type") in ("json_object", "json_schema")


def _error(status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> Response:
    payload = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return JSONResponse(payload, status_code=status, headers=headers)


def build_app(state: FakeState, responder: Callable[[], Responder],
              embedder: Callable[[], Embedder] = lambda: hashed_embeddings) -> Starlette:
    async def tracked(request: Request, answer: Callable[[Any, Fault | None], Response]) -> Response:
        generation, started, fault = state.begin()
        status = 500
        authorization = request.headers.get("authorization", "")
        body: Any = None
        try:
            body = await request.json()
            await asyncio.sleep(state.latency)
            if fault and fault.kind is FaultKind.HANG:
                await state.hang(generation, fault.hang_seconds)
            response = (_refusal(state, authorization, body) or _fault_response(fault)
                        or answer(body, fault))
            status = response.status_code
            return response
        finally:
            state.end(generation, RequestRecord(request.url.path, started, time.monotonic(), status,
                                                fault.kind if fault else None, authorization,
                                                body))

    def chat(body: Any, fault: Fault | None) -> Response:
        content = state.take_reply() or responder()(body)
        finish_reason = "stop"
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        if limit and estimate_tokens(content) > int(limit):
            content, finish_reason = content[: int(limit) * 4], "length"
        if fault and fault.kind is FaultKind.MALFORMED_CONTENT:
            content = MALFORMED_CONTENT
        if fault and fault.kind is FaultKind.TRUNCATED:
            content, finish_reason = content[: max(1, len(content) // 2)], "length"
        prompt_tokens = sum(estimate_tokens(str(m.get("content", ""))) for m in body.get("messages", []))
        completion_tokens = estimate_tokens(content)
        return JSONResponse({
            "id": f"chatcmpl-fake-{state.request_count}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
                "logprobs": None,
            }],
            "usage": _usage(prompt_tokens, completion_tokens),
        })

    def embeddings(body: Any, _: Fault | None) -> Response:
        inputs = body.get("input", [])
        texts = [inputs] if isinstance(inputs, str) else [str(text) for text in inputs]
        as_base64 = body.get("encoding_format") == "base64"
        data = []
        for index, vector in enumerate(embedder()(texts)):
            encoded: Any = (
                base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
                if as_base64 else vector
            )
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        tokens = sum(estimate_tokens(text) for text in texts)
        return JSONResponse({"object": "list", "data": data, "model": body.get("model", "fake-embedding"),
                             "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    def images(body: Any, _: Fault | None) -> Response:
        prompt = str(body.get("prompt", ""))
        data = []
        for index in range(int(body.get("n") or 1)):
            seed = f"{prompt}#{index}"
            if body.get("response_format") == "url":
                data.append({"url": f"{state.public_url}/_fake/images/{state.store_image(seed)}.png"})
            else:
                data.append({"b64_json": base64.b64encode(tiny_png(seed)).decode()})
        return JSONResponse({"created": int(time.time()), "data": data})

    async def chat_route(request: Request) -> Response:
        return await tracked(request, chat)

    async def embeddings_route(request: Request) -> Response:
        return await tracked(request, embeddings)

    async def images_route(request: Request) -> Response:
        return await tracked(request, images)

    async def image_file(request: Request) -> Response:
        seed = state.image_seed(request.path_params["digest"])
        if seed is None:
            return _error(404, "no such image", "not_found")
        return Response(tiny_png(seed), media_type="image/png")

    async def stats(_: Request) -> Response:
        return JSONResponse(state.stats())

    async def faults(request: Request) -> Response:
        body = await request.json()
        state.inject(*(Fault(FaultKind(f["kind"]), float(f.get("retry_after", 1.0)),
                             float(f.get("hang_seconds", 30.0))) for f in body.get("faults", [])))
        return JSONResponse(state.stats())

    async def replies(request: Request) -> Response:
        for reply in (await request.json()).get("replies", []):
            state.queue_reply(reply)
        return JSONResponse(state.stats())

    async def reset(_: Request) -> Response:
        state.reset()
        return JSONResponse(state.stats())

    return Starlette(routes=[
        Route("/v1/chat/completions", chat_route, methods=["POST"]),
        Route("/v1/embeddings", embeddings_route, methods=["POST"]),
        Route("/v1/images/generations", images_route, methods=["POST"]),
        Route("/_fake/images/{digest}.png", image_file),
        Route("/_fake/stats", stats),
        Route("/_fake/faults", faults, methods=["POST"]),
        Route("/_fake/replies", replies, methods=["POST"]),
        Route("/_fake/reset", reset, methods=["POST"]),
    ])


def _refusal(state: FakeState, authorization: str, body: Any) -> Response | None:
    if state.api_key is not None and authorization != f"Bearer {state.api_key}":
        return _error(401, "Incorrect API key provided (fake)", "invalid_request_error")
    model = body.get("model") if isinstance(body, dict) else None
    if state.known_models is not None and model not in state.known_models:
        return _error(404, f"The model `{model}` does not exist (fake)", "invalid_request_error")
    return None


def _fault_response(fault: Fault | None) -> Response | None:
    if fault is None:
        return None
    if fault.kind is FaultKind.RATE_LIMIT:
        return _error(429, "Rate limit reached (fake)", "rate_limit_exceeded",
                      {"retry-after": f"{fault.retry_after:g}"})
    if fault.kind is FaultKind.SERVER_ERROR:
        return _error(500, "The server had an error (fake)", "server_error")
    if fault.kind is FaultKind.MALFORMED_BODY:
        return Response('{"id": "chatcmpl-broken", "choices": [', media_type="application/json")
    return None


def _usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens}


class FakeOpenAI:
    """The fake server running in a background thread on a free localhost port."""

    def __init__(self, latency: float = 0.0, host: str = "127.0.0.1", *,
                 api_key: str | None = None, known_models: frozenset[str] | None = None) -> None:
        self.state = FakeState(latency)
        self.state.api_key = api_key
        self.state.known_models = known_models
        self.responder: Responder = default_responder
        self.embedder: Embedder = hashed_embeddings
        self._host = host
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @classmethod
    @contextmanager
    def running(cls, latency: float = 0.0, *, api_key: str | None = None,
                known_models: frozenset[str] | None = None) -> Iterator[FakeOpenAI]:
        fake = cls(latency, api_key=api_key, known_models=known_models)
        fake.start()
        try:
            yield fake
        finally:
            fake.stop()

    @property
    def base_url(self) -> str:
        return f"{self.state.public_url}/v1"

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, 0))
        self.port = sock.getsockname()[1]
        self.state.public_url = f"http://{self._host}:{self.port}"
        app = build_app(self.state, lambda: self.responder, lambda: self.embedder)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="fake-openai", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake OpenAI server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.state.stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def inject(self, *faults: Fault) -> None:
        self.state.inject(*faults)

    def queue_reply(self, content: str | Mapping[str, Any]) -> None:
        self.state.queue_reply(content)

    def set_latency(self, seconds: float) -> None:
        self.state.latency = seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake OpenAI-compatible server (tests, demos)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args(argv)
    state = FakeState(args.latency)
    state.public_url = f"http://{args.host}:{args.port}"
    print(f"fake OpenAI server: base URL {state.public_url}/v1 (latency {args.latency}s)", flush=True)
    uvicorn.run(build_app(state, lambda: default_responder), host=args.host, port=args.port,
                log_level="warning", access_log=False, lifespan="off", backlog=4096)


if __name__ == "__main__":
    main()
