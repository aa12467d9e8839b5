"""HTTP app factory: request ids, unified errors, body-size limit, /healthz and /readyz."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import nats.errors
import psycopg
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from igny8_runtime.context import correlation_id_var, request_id_var
from igny8_runtime.faults import describe, is_infrastructure_fault
from igny8_runtime.logging import bind_context, clear_context, get_logger
from igny8_runtime.responses import ApiError, FieldErrors, failure, ok
from igny8_runtime.rpc import InvalidAnswer, OwnerUnavailable, Refused
from igny8_runtime.service import Service, ServiceRuntime, create_runtime, running
from igny8_runtime.settings import ServiceSettings
from igny8_runtime.telemetry import http_telemetry

log = get_logger("igny8.http")
# Seconds a client is asked to wait when a backing service, database or the bus is down.
RETRY_AFTER = "5"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """Request id (X-Request-ID), correlation id, size limit and one access-log line."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        given = headers.get("x-request-id", "")
        request_id = given if _SAFE_ID.match(given) else str(uuid.uuid4())
        given_corr = headers.get("x-correlation-id", "")
        correlation_id = given_corr if _SAFE_ID.match(given_corr) else request_id
        clear_context()
        request_id_var.set(request_id)
        correlation_id_var.set(correlation_id)
        bind_context(request_id=request_id, correlation_id=correlation_id)
        started = time.perf_counter()
        status = {"code": 500}
        is_upload = headers.get("content-type", "").startswith("multipart/form-data")
        limit = self.max_upload_bytes if is_upload else self.max_body_bytes

        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            response = failure(413, f"Request body too large (limit {limit} bytes)")
            response.headers["X-Request-ID"] = request_id
            await response(scope, receive, send)
            self._log(scope, 413, started)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException passes through FastAPI's body parsing unchanged.
                    raise StarletteHTTPException(413, f"Request body too large (limit {limit} bytes)")
            return message

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        await self.app(scope, limited_receive, send_with_id)
        self._log(scope, status["code"], started)

    @staticmethod
    def _log(scope: Scope, status: int, started: float) -> None:
        log.info(
            "request",
            method=scope.get("method"),
            path=scope.get("path"),
            status=status,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )


def _field_errors(exc: RequestValidationError) -> FieldErrors:
    errors: FieldErrors = {}
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        key = ".".join(loc) or "non_field_errors"
        message = str(err.get("msg", "invalid"))
        if err.get("type") == "extra_forbidden":
            message = "Unknown field."
        elif err.get("type") == "json_invalid":
            key, message = "non_field_errors", "Malformed JSON body."
        errors.setdefault(key, []).append(message)
    return errors


def _methods_of_literal_routes(request: Request, exc: RequestValidationError) -> list[str]:
    """``GET /tasks/generate_content/`` matched ``GET /tasks/{task_id}/`` and failed on its
    path parameter, while the path is ``POST /tasks/generate_content/``'s: the method is what
    is wrong (405 with ``Allow``), not the id. The methods of the routes without path
    parameters matching this path; none when the failure is not about a path parameter."""
    if not any(err.get("loc", ("",))[0] == "path" for err in exc.errors()):
        return []
    return allowed_methods(request, literal_only=True)


def allowed_methods(request: Request, *, literal_only: bool = False) -> list[str]:
    """The methods the request's path answers (Starlette's own 405 names only the first
    matching route's): those of routes written out literally (``/tasks/generate_content/``)
    when there are any, else those of routes with parameters (``/tasks/{task_id}/``)."""
    path = request.scope["path"]
    literal: set[str] = set()
    with_parameters: set[str] = set()
    for route in iter_route_contexts(request.app.router.routes):
        template = route.path
        methods = getattr(route.original_route, "methods", None)
        if not template or not methods:
            continue
        regex, _format, convertors = compile_path(template)
        if regex.fullmatch(path):
            (with_parameters if convertors else literal).update(methods)
    return sorted(literal if literal or literal_only else with_parameters)


def server_error() -> Response:
    """500, with ``Connection: close``: after an unexpected error the server closes the
    connection, and says so, so a client does not reuse it."""
    return failure(500, "Internal server error.", headers={"Connection": "close"})


def install_error_handlers(app: FastAPI) -> None:
    async def api_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return failure(exc.status_code, exc.error, exc.errors, exc.headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        allowed = _methods_of_literal_routes(request, exc)
        if allowed:
            return failure(405, "Method Not Allowed", headers={"Allow": ", ".join(allowed)})
        return failure(400, "Invalid input.", _field_errors(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request)) or headers.get("Allow", "")
        return failure(exc.status_code, detail, headers=headers)

    async def owner_unavailable(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, OwnerUnavailable)
        log.warning("query owner unavailable", subject=exc.subject, reason=exc.reason)
        return failure(503, "A backing service is unavailable; retry shortly.",
                       headers={"Retry-After": RETRY_AFTER})

    async def refused(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        headers = {"Retry-After": RETRY_AFTER} if exc.status == 503 else None
        return failure(exc.status, exc.message, exc.errors, headers)

    async def infrastructure(_: Request, exc: Exception) -> Response:
        if is_infrastructure_fault(exc):
            log.warning("infrastructure fault answered 503", error=describe(exc))
            return failure(503, "A database or the message bus is unavailable; retry shortly.",
                           headers={"Retry-After": RETRY_AFTER})
        log.exception("unhandled error", exc_info=exc)
        return server_error()

    async def invalid_answer(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, InvalidAnswer)
        log.error("a service's answer does not match its contract", subject=exc.subject,
                  reason=exc.reason)
        return failure(502, "A backing service gave an answer the gateway does not understand.")

    async def unexpected(request: Request, exc: Exception) -> Response:
        if is_infrastructure_fault(exc):
            return await infrastructure(request, exc)
        log.exception("unhandled error", exc_info=exc)
        return server_error()

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(InvalidAnswer, invalid_answer)
    app.add_exception_handler(OwnerUnavailable, owner_unavailable)
    app.add_exception_handler(Refused, refused)
    # Answered here, not by the catch-all below (Starlette's last resort, which re-raises to
    # the server after answering, so the server drops the connection).
    for kind in (SQLAlchemyError, psycopg.Error, nats.errors.Error):
        app.add_exception_handler(kind, infrastructure)
    app.add_exception_handler(Exception, unexpected)


def create_app(service: Service[Any], settings: ServiceSettings, **fastapi_kwargs: Any) -> FastAPI:
    """The service's ASGI app; its lifespan runs the whole service (broker, relay...)."""
    runtime = create_runtime(service, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running(runtime):
            yield

    app = FastAPI(
        title=f"IGNY8 {service.name}",
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
        telemetry=http_telemetry(settings.traces_exporter),
        **fastapi_kwargs,
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes,
                       max_upload_bytes=settings.max_upload_bytes)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return ok({"status": "alive", "service": service.name})

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        checks = await runtime.ready()
        if all(checks.values()):
            return ok({"status": "ready", "checks": checks})
        return failure(503, "not ready", {k: ["down"] for k, v in checks.items() if not v},
                       headers={"Retry-After": "2"})

    for router in service.routers:
        app.include_router(router)
    return app


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime
