"""The seeds' unified response format: ``success``, ``data``, ``message``, ``request_id``;
errors carry ``error`` and field-level ``errors``; lists ``count``, ``next``, ``previous``,
``results``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Literal, TypeVar

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.requests import Request

from igny8_runtime.context import request_id_var

FieldErrors = dict[str, list[str]]
T = TypeVar("T")


class Ok(BaseModel, Generic[T]):
    """A successful answer: ``response_model=Ok[TaskView]`` documents what ``ok()`` sends."""

    success: Literal[True]
    data: T
    message: str | None = None
    request_id: str | None = None


class Listing(BaseModel, Generic[T]):
    """A page of a list: ``response_model=Listing[TaskView]`` documents what ``paginated()``
    sends (``next`` / ``previous`` are links to the neighbouring pages, or null)."""

    success: Literal[True]
    count: int
    next: str | None
    previous: str | None
    results: list[T]
    request_id: str | None = None


class ErrorBody(BaseModel):
    """Every error: a message, field errors (field → messages) when input was refused, and the
    request id to quote to support."""

    success: Literal[False]
    error: str
    errors: FieldErrors | None = None
    request_id: str | None = None


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


def as_json(data: Any) -> Any:
    """JSON-ready data: a pydantic model dumps itself (much cheaper than ``jsonable_encoder``,
    which walks it field by field); anything else goes through ``jsonable_encoder``."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json", by_alias=True)
    return jsonable_encoder(data)


def ok(data: Any = None, message: str | None = None, status_code: int = 200) -> JSONResponse:
    return JSONResponse(
        status_code=status_code,
        content={
            "success": True,
            "data": as_json(data),
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
            "results": [as_json(item) for item in results],
            "request_id": request_id_var.get(),
        }
    )
