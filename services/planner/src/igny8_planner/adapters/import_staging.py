"""A keyword import in PostgreSQL: rows are COPYed into a temporary table (dropped at commit),
then inserted in one statement that skips what the sector already has."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_planner.domain.csv_import import KeywordRow

_COLUMNS = "line, keyword, normalized, volume, difficulty, cpc, intent"


def _copy_field(value: object) -> str:
    if value is None:
        return "\\N"
    # Keywords never hold control characters (validated), so only the escape char needs care.
    return str(value).replace("\\", "\\\\")


def copy_text(rows: Sequence[KeywordRow]) -> bytes:
    """Rows in COPY's text format."""
    lines = ["\t".join(_copy_field(v) for v in (r.line, r.keyword, r.normalized, r.volume,
                                                r.difficulty, r.cpc, r.intent)) for r in rows]
    return ("\n".join(lines) + "\n").encode() if lines else b""


@dataclass(frozen=True)
class Outcome:
    staged: int
    distinct: int
    imported: int


class ImportStaging:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.staged = 0

    async def _driver(self) -> AsyncConnection[Any]:
        connection = await self.session.connection()
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert isinstance(driver, AsyncConnection)
        return driver

    async def open(self) -> None:
        await self.session.execute(text(
            "CREATE TEMPORARY TABLE keyword_import (line int, keyword text, normalized text, "
            "volume int, difficulty int, cpc numeric(12,2), intent text) ON COMMIT DROP"))

    async def add(self, rows: Sequence[KeywordRow]) -> None:
        if not rows:
            return
        driver = await self._driver()
        async with driver.cursor() as cursor, cursor.copy(
                f"COPY keyword_import ({_COLUMNS}) FROM STDIN") as copy:
            await copy.write(copy_text(rows))
        self.staged += len(rows)

    async def _scalar(self, sql: str, **params: Any) -> int:
        return int((await self.session.execute(text(sql), params)).scalar_one())

    async def finish(self, *, account_id: uuid.UUID, site_id: uuid.UUID, sector_id: uuid.UUID,
                     dry_run: bool) -> Outcome:
        """Insert the staged rows (the first of each normalized keyword), or with ``dry_run``
        only count what would be inserted."""
        distinct = await self._scalar("SELECT count(DISTINCT normalized) FROM keyword_import")
        if dry_run:
            present = await self._scalar(
                "SELECT count(DISTINCT s.normalized) FROM keyword_import s JOIN planner.keywords k"
                " ON k.sector_id = :sector AND k.normalized = s.normalized", sector=sector_id)
            return Outcome(self.staged, distinct, distinct - present)
        result = await self.session.execute(text(
            "INSERT INTO planner.keywords (id, account_id, site_id, sector_id, keyword, normalized,"
            " volume, difficulty, cpc, intent, status, source, created_at, updated_at) "
            "SELECT gen_random_uuid(), :account, :site, :sector, keyword, normalized, volume, "
            "difficulty, cpc, intent, 'pending', 'csv_import', now(), now() FROM ("
            "SELECT DISTINCT ON (normalized) * FROM keyword_import ORDER BY normalized, line) s "
            "ON CONFLICT (sector_id, normalized) DO NOTHING"),
            {"account": account_id, "site": site_id, "sector": sector_id})
        imported = int(getattr(result, "rowcount", 0))
        return Outcome(self.staged, distinct, imported)
