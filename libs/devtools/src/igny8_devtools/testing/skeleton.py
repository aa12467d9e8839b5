"""A check every service passes: it migrates its own schema, starts, and answers health."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from alembic import command
from sqlalchemy import create_engine, text

from igny8_devtools.testing.processes import ServiceProcess
from igny8_runtime.db import sqlalchemy_url
from igny8_runtime.migrations import alembic_config, upgrade


def assert_boots_migrated_and_healthy(
    name: str, database_url: str, start: Callable[..., ServiceProcess]
) -> None:
    upgrade(name, database_url)
    upgrade(name, database_url)  # idempotent: a second run changes nothing
    # The migrations build exactly the tables the code declares (raises on any difference).
    command.check(alembic_config(name, database_url))
    engine = create_engine(sqlalchemy_url(database_url))
    with engine.connect() as conn:
        tables = set(conn.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": name}).scalars())
    engine.dispose()
    assert {"alembic_version", "outbox", "inbox"} <= tables

    process = start(name)
    try:
        health = httpx.get(process.url("/healthz"), timeout=5)
        ready = httpx.get(process.url("/readyz"), timeout=5)
        assert health.status_code == 200 and health.json()["data"]["service"] == name
        assert ready.status_code == 200
        assert ready.json()["data"]["checks"] == {"database": True, "nats": True}
        assert health.headers["x-request-id"]
    finally:
        process.terminate()
