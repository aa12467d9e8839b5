"""The HTTP edge every service shares: request ids, unified errors, body limits."""

import httpx
import pytest
from fastapi import FastAPI, Request, UploadFile

from igny8_runtime.http import RequestContextMiddleware, install_error_handlers
from igny8_runtime.responses import ok


def app(max_body: int = 100, max_upload: int = 1000) -> FastAPI:
    application = FastAPI()
    install_error_handlers(application)
    application.add_middleware(RequestContextMiddleware, max_body_bytes=max_body,
                               max_upload_bytes=max_upload)

    @application.post("/json")
    async def take_json(request: Request) -> object:
        return ok({"size": len(await request.body())})

    @application.post("/upload")
    async def take_file(file: UploadFile) -> object:
        return ok({"size": len(await file.read())})

    return application


@pytest.fixture
async def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://t")


async def test_json_body_over_the_limit_is_413_in_the_unified_format(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/json", content=b"x" * 101)
    assert response.status_code == 413
    body = response.json()
    assert body["success"] is False and "too large" in body["error"]
    assert body["request_id"] == response.headers["x-request-id"]


async def test_streamed_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    async def chunks():  # no Content-Length: counted as it arrives
        for _ in range(5):
            yield b"x" * 30

    response = await client.post("/json", content=chunks())
    assert response.status_code == 413


async def test_uploads_get_the_larger_limit(client: httpx.AsyncClient) -> None:
    accepted = await client.post("/upload", files={"file": ("k.csv", b"k\n" * 200)})
    assert accepted.status_code == 200 and accepted.json()["data"]["size"] == 400
    refused = await client.post("/upload", files={"file": ("k.csv", b"k\n" * 600)})
    assert refused.status_code == 413


async def test_request_id_is_taken_from_the_caller_when_safe(client: httpx.AsyncClient) -> None:
    response = await client.post("/json", content=b"{}", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    hostile = await client.post("/json", content=b"{}", headers={"x-request-id": "<script>"})
    assert hostile.headers["x-request-id"] != "<script>"
