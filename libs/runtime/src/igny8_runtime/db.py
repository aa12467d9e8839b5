"""Async SQLAlchemy engine per service; every service owns one PostgreSQL schema."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_metadata(schema: str) -> MetaData:
    """The MetaData a service declares its tables on (in its own schema)."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


def sqlalchemy_url(database_url: str, driver: str = "psycopg") -> str:
    """``postgresql://…`` (as people write it) → ``postgresql+psycopg://…``."""
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername=f"postgresql+{driver}")
    return url.render_as_string(hide_password=False)


# A pooled connection returned longer ago than this is checked (one round trip) before use.
PING_CONNECTIONS_IDLE_FOR_SECONDS = 1.0
_RETURNED_AT = "igny8_returned_at"


def ping_idle_connections(engine: Engine) -> None:
    """SQLAlchemy's ``pool_pre_ping``, but only for connections that sat idle in the pool.

    ``pool_pre_ping`` checks every connection it hands out: one more round trip to PostgreSQL
    per unit of work, a third of those of a simple read. A connection in steady use does not
    need it: it was answering a moment ago, and if the server went away since, its next
    statement fails and SQLAlchemy drops every pooled connection of that age. A connection that
    waited longer (after a quiet spell, a server restart) is checked as ``pool_pre_ping`` would,
    and replaced if it is dead.
    """

    @event.listens_for(engine, "connect")
    def connected(dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def returned(dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        idle_since = record.info.get(_RETURNED_AT, 0.0)
        if time.monotonic() - idle_since < PING_CONNECTIONS_IDLE_FOR_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            if engine.dialect.is_disconnect(exc, dbapi_connection, None):
                raise DisconnectionError("a pooled connection was closed") from exc  # the pool retries
            raise


def libpq_url(database_url: str) -> str:
    """``postgresql+psycopg://…`` → ``postgresql://…`` for raw psycopg connections."""
    url = make_url(database_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # Same pool, autocommit: a read needs no BEGIN/ROLLBACK round trips.
    read_sessions: async_sessionmaker[AsyncSession]
    schema: str
    url: str
    # This database's own Session class, so that listeners (``after_commit``) hear only its
    # sessions, even when several databases live in one process (tests).
    session_class: type[Session]

    @classmethod
    def connect(cls, database_url: str, schema: str, pool_size: int = 10) -> Database:
        engine = create_async_engine(
            sqlalchemy_url(database_url),
            pool_size=pool_size,
            max_overflow=pool_size,
        )
        ping_idle_connections(engine.sync_engine)
        session_class = type(f"{schema.title()}Session", (Session,), {})
        return cls(
            engine=engine,
            sessions=async_sessionmaker(engine, expire_on_commit=False,
                                        sync_session_class=session_class),
            read_sessions=async_sessionmaker(
                engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False,
                sync_session_class=session_class,
            ),
            schema=schema,
            url=database_url,
            session_class=session_class,
        )

    def after_commit(self, listener: Callable[[Session], None]) -> None:
        """Call ``listener(session)`` after each commit of this database's sessions (e.g. to
        drop cached copies of what the transaction wrote, which it noted in ``session.info``)."""
        event.listen(self.session_class, "after_commit", listener)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
