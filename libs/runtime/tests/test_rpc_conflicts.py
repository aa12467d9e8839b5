"""Request handlers that lose a deadlock or serialization race are run again, not failed."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from igny8_contracts import Envelope, Query
from igny8_devtools.fake_uow import FakeUnitOfWork
from igny8_runtime.handling import HandlerContext
from igny8_runtime.rpc import ATTEMPTS_ON_CONFLICT, answer
from igny8_runtime.service import QueryRoute


class Answered(BaseModel):
    answered_on_call: int


class ConflictProbe(Query[Answered]):
    subject_base = "qry.probe.conflict.get"
    account_id: uuid.UUID


class _Runtime:
    """What ``answer`` needs of a runtime: units of work (in memory here)."""

    def uow(self, *, read_only: bool = False) -> FakeUnitOfWork:
        return FakeUnitOfWork(read_only=read_only)


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _envelope(account_id: uuid.UUID) -> bytes:
    query = ConflictProbe(account_id=account_id)
    return Envelope.wrap(query, source="test", correlation_id="c-1",
                         account_id=account_id).model_dump_json().encode()


def _run(failures: list[str]) -> tuple[dict[str, Any], int]:
    calls = 0

    async def handler(query: ConflictProbe, uow: FakeUnitOfWork, ctx: HandlerContext) -> Answered:
        nonlocal calls
        calls += 1
        if failures:
            raise DBAPIError("UPDATE ...", {}, _PgError(failures.pop(0)))
        return Answered(answered_on_call=calls)

    route = QueryRoute(ConflictProbe, handler, read_only=False)
    result = asyncio.run(answer(_Runtime(), route, _envelope(uuid.uuid4())))  # type: ignore[arg-type]
    return result, calls


def test_deadlock_then_success_is_answered() -> None:
    result, calls = _run(["40P01", "40001"])
    assert result["ok"] is True
    assert result["data"] == {"answered_on_call": 3}
    assert calls == 3


def test_conflicts_are_bounded() -> None:
    result, calls = _run(["40P01"] * (ATTEMPTS_ON_CONFLICT + 2))
    # Still a conflict of the database, not the query's fault: 503, ask again shortly.
    assert result["ok"] is False and result["error"]["status"] == 503
    assert calls == ATTEMPTS_ON_CONFLICT


def test_other_database_errors_are_not_retried() -> None:
    result, calls = _run(["23505"])
    assert result["ok"] is False
    assert calls == 1
