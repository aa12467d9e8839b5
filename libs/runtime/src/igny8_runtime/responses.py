"""The seeds' unified response format: ``success``, ``data``, ``message``, ``request_id``;
errors carry ``error`` and field-level ``errors``; lists ``count``, ``next``, ``previous``,
``results``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_runtime.context import request_id_var

FieldErrors = dict[str, list[str]]


class ApiError(Exception):
    """Raise from a route to answer with a clear error in the unified format."""

    def __init__(
        self,
        status_code: int,
        error: str,
        errors: FieldErrors | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.status_code = status_code
        self.error = error
        self.errors = errors
        self.headers = headers


def ok(data: Any = None, message: str | None = None, status_code: int = 200) -> JSONResponse:
    return JSONResponse(
        status_code=status_code,
        content={
            "success": True,
            "data": jsonable_encoder(data),
            "message": message,
            "request_id": request_id_var.get(),
        },
    )


def failure(
    status_code: int,
    error: str,
    errors: FieldErrors | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"success": False, "error": error, "request_id": request_id_var.get()}
    if errors:
        body["errors"] = errors
    return JSONResponse(status_code=status_code, content=body, headers=headers)


def paginated(
    request: Request, results: Sequence[Any], count: int, page: int, page_size: int
) -> JSONResponse:
    def link(to_page: int) -> str:
        return str(request.url.include_query_params(page=to_page, page_size=page_size))

    last_page = max(1, -(-count // page_size))
    return JSONResponse(
        content={
            "success": True,
            "count": count,
            "next": link(page + 1) if page < last_page else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": jsonable_encoder(list(results)),
            "request_id": request_id_var.get(),
        }
    )
