"""The connection pool checks only connections that sat idle (igny8_runtime.db), and commit
listeners hear only their own database's sessions."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from igny8_runtime import db as db_module
from igny8_runtime.db import Database

pytestmark = pytest.mark.integration


async def _backend_pid(database: Database) -> int:
    async with database.engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _terminate(database: Database, pid: int) -> None:
    async with database.engine.connect() as conn:
        await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


async def test_a_connection_that_died_while_idle_is_replaced(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "PING_CONNECTIONS_IDLE_FOR_SECONDS", 0.2)
    database = Database.connect(database_url, "public", pool_size=1)
    try:
        first = await _backend_pid(database)
        other = Database.connect(database_url, "public", pool_size=1)
        try:
            await _terminate(other, first)
        finally:
            await other.dispose()
        await asyncio.sleep(0.3)
        assert await _backend_pid(database) != first  # pinged, found dead, replaced
    finally:
        await database.dispose()


async def test_a_connection_in_steady_use_is_not_pinged(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "PING_CONNECTIONS_IDLE_FOR_SECONDS", 60.0)
    database = Database.connect(database_url, "public", pool_size=1)
    try:
        first = await _backend_pid(database)
        other = Database.connect(database_url, "public", pool_size=1)
        try:
            await _terminate(other, first)
        finally:
            await other.dispose()
        # Not checked: its next statement fails, and the pool starts afresh.
        with pytest.raises(DBAPIError):
            await _backend_pid(database)
        assert await _backend_pid(database) != first
    finally:
        await database.dispose()


async def test_commit_listeners_hear_only_their_database(database_url: str) -> None:
    one = Database.connect(database_url, "public", pool_size=1)
    two = Database.connect(database_url, "public", pool_size=1)
    heard: list[str] = []
    one.after_commit(lambda session: heard.append(session.info.get("who", "?")))
    try:
        for database, who in ((one, "one"), (two, "two")):
            async with database.sessions() as session:
                session.info["who"] = who
                await session.execute(text("SELECT 1"))
                await session.commit()
        assert heard == ["one"]
    finally:
        await one.dispose()
        await two.dispose()
