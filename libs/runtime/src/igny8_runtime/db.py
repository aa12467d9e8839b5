"""Async SQLAlchemy engine per service; every service owns one PostgreSQL schema."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import MetaData, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

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

    @classmethod
    def connect(cls, database_url: str, schema: str, pool_size: int = 10) -> Database:
        engine = create_async_engine(
            sqlalchemy_url(database_url),
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
        )
        return cls(
            engine=engine,
            sessions=async_sessionmaker(engine, expire_on_commit=False),
            read_sessions=async_sessionmaker(
                engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
            ),
            schema=schema,
            url=database_url,
        )

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
