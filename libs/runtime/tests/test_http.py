"""The HTTP edge every service shares: request ids, unified errors, body limits."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import psycopg
import psycopg.errors
import pytest
import sqlalchemy.exc
import uvicorn
from fastapi import FastAPI, Request, UploadFile

from igny8_devtools.embedded import free_port
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


def failing_app() -> FastAPI:
    application = app()

    @application.get("/boom")
    async def boom() -> object:
        raise RuntimeError("a bug")

    @application.get("/db-down")
    async def db_down() -> object:
        refused = psycopg.OperationalError("connection refused")
        raise sqlalchemy.exc.OperationalError("SELECT 1", {}, refused)

    @application.get("/constraint")
    async def constraint() -> object:
        raise sqlalchemy.exc.IntegrityError("INSERT", {}, psycopg.errors.UniqueViolation("dup"))

    @application.get("/fine")
    async def fine() -> object:
        return ok({"fine": True})

    return application


@pytest.fixture
async def served() -> AsyncIterator[int]:
    """``failing_app`` served by a real uvicorn (connections, keep-alive) on a free port."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(failing_app(), host="127.0.0.1", port=port,
                                           log_level="critical", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    yield port
    server.should_exit = True
    await task


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    path: str) -> tuple[int, dict[str, str]]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode()
    status_line, *lines = head.strip().split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    await reader.readexactly(int(headers["content-length"]))
    return int(status_line.split()[1]), headers


async def test_a_500_says_connection_close_and_the_next_request_is_answered(served: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", served)
    assert (await _exchange(reader, writer, "/fine"))[0] == 200  # keep-alive...
    status, headers = await _exchange(reader, writer, "/boom")
    assert (status, headers.get("connection")) == (500, "close")
    assert await reader.read() == b""  # ...the server closed it, as it said
    writer.close()
    reader, writer = await asyncio.open_connection("127.0.0.1", served)
    assert (await _exchange(reader, writer, "/fine"))[0] == 200
    writer.close()


async def test_a_database_fault_is_503_with_retry_after_and_keeps_the_connection(
    served: int,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", served)
    status, headers = await _exchange(reader, writer, "/db-down")
    assert (status, headers["retry-after"]) == (503, "5")
    assert headers.get("connection") != "close"
    status, headers = await _exchange(reader, writer, "/constraint")  # a bug, not an outage
    assert (status, headers.get("connection")) == (500, "close")
    writer.close()


async def test_a_method_the_path_does_not_have_is_405_with_allow_not_a_400_on_its_id() -> None:
    application = app()

    @application.post("/tasks/generate/")
    async def generate() -> object:
        return ok()

    @application.get("/tasks/{task_id}/")
    async def get_one(task_id: uuid.UUID) -> object:
        return ok({"id": str(task_id)})

    @application.delete("/tasks/{task_id}/")
    async def delete_one(task_id: uuid.UUID) -> object:
        return ok()

    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=application),
                               base_url="http://t")
    for method in ("GET", "DELETE"):
        wrong = await client.request(method, "/tasks/generate/")
        assert (wrong.status_code, wrong.headers["allow"]) == (405, "POST")
        assert wrong.json()["success"] is False
    plain = await client.put("/tasks/generate/")  # no route of that method at all
    assert (plain.status_code, plain.headers["allow"]) == (405, "POST")
    # Every route of the path is named, not only the first (Starlette's own Allow).
    on_an_id = await client.post(f"/tasks/{uuid.uuid4()}/")
    assert (on_an_id.status_code, on_an_id.headers["allow"]) == (405, "DELETE, GET")
    bad_id = await client.get("/tasks/not-a-uuid/")
    assert bad_id.status_code == 400 and "task_id" in bad_id.json()["errors"]
    fine = await client.get(f"/tasks/{uuid.uuid4()}/")
    assert fine.status_code == 200
