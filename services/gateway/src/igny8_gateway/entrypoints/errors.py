"""Domain errors → HTTP answers in the unified format.

Routers made with ``api_router`` translate every ``DomainError`` their handlers (or their
dependencies) raise into an ``ApiError``, which the runtime renders, and refuse parameters that
carry a NUL character.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from igny8_gateway.domain.authentication import TooManyAttempts, Unauthenticated, WeakPassword
from igny8_gateway.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    LimitReached,
    NotFound,
)
from igny8_gateway.entrypoints.bodies import NUL_MESSAGE
from igny8_runtime.responses import ApiError, ErrorBody

_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (Unauthenticated, 401),
    (TooManyAttempts, 429),
    (NotFound, 404),
    (Forbidden, 403),
    (LimitReached, 403),
    (Conflict, 409),
    (InvalidInput, 400),
)


def to_api_error(exc: DomainError) -> ApiError:
    status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)
    if isinstance(exc, Unauthenticated):
        return ApiError(status, exc.message, headers={"WWW-Authenticate": 'Bearer realm="igny8"'})
    if isinstance(exc, TooManyAttempts):
        return ApiError(status, exc.message,
                        headers={"Retry-After": str(exc.retry_after_seconds)})
    if isinstance(exc, WeakPassword):
        return ApiError(status, exc.message, {"password": exc.problems})
    # A NotFound never points at a field: it must not hint at what exists elsewhere.
    if exc.field is not None and not isinstance(exc, NotFound):
        return ApiError(status, exc.message, {exc.field: [exc.message]})
    return ApiError(status, exc.message)


def refuse_nul_parameters(request: Request) -> None:
    """A query or path parameter with a NUL character (``%00``) is refused (400), as bodies
    refuse it (``bodies.Body``): PostgreSQL stores none, and would fail the request later."""
    if b"%00" not in request.scope["query_string"] and "\x00" not in request.scope["path"]:
        return
    given = [*request.query_params.multi_items(), *request.path_params.items()]
    problems = {name: [NUL_MESSAGE] for name, value in given if "\x00" in value}
    raise ApiError(400, "Invalid input.", problems or {"non_field_errors": [NUL_MESSAGE]})


class DomainErrorRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def translate_domain_errors(request: Request) -> Response:
            refuse_nul_parameters(request)
            try:
                return await handler(request)
            except DomainError as exc:
                raise to_api_error(exc) from exc

        return translate_domain_errors


# The error answers any route may give, documented once for every route of an ``api_router``.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "Invalid input: `errors` maps each field to its problems."),
        (401, "Not signed in, or the token is invalid or expired."),
        (403, "The signed-in user may not do this."),
        (404, "Not found (or not visible to the signed-in user)."),
        (409, "Conflicts with the current state."),
        (413, "The request body is too large."),
        (429, "Too many requests; retry after `Retry-After` seconds."),
        (502, "A backing service gave an answer the gateway does not understand."),
        (503, "A backing service is unavailable; retry after `Retry-After` seconds."),
    )
}


def operation_id_of(route: APIRoute) -> str:
    """A route's ``operationId`` is its function's name (``list_sites``): what the web app's
    generated client calls it. Names are unique across the app (a test checks)."""
    return route.name


def api_router(prefix: str, tag: str) -> APIRouter:
    return APIRouter(prefix=prefix, tags=[tag], route_class=DomainErrorRoute,
                     responses=ERROR_RESPONSES, generate_unique_id_function=operation_id_of)
