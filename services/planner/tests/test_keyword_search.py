"""The keyword search finds the typed text as it is, in PostgreSQL: ``%`` and ``_`` are
characters to find, not LIKE wildcards, and neither ``\\`` nor ``/`` (an escape character)
changes what matches."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from igny8_contracts.planner import KeywordFilters
from igny8_planner.adapters.orm import inbox, outbox
from igny8_planner.domain.keywords import normalize
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.db import Database
from igny8_runtime.migrations import upgrade

pytestmark = pytest.mark.integration

KEYWORDS = ["50% off shoes", "500 off shoes", "a_b widget", "axb widget", "a\\b widget",
            "a/b widget", "a//b widget"]


@pytest.fixture(scope="module")
async def database(database_url: str) -> AsyncIterator[Database]:
    upgrade("planner", database_url)
    db = Database.connect(database_url, "planner", pool_size=2)
    yield db
    await db.dispose()


@pytest.fixture(scope="module")
async def account_id(database: Database) -> uuid.UUID:
    account_id, site_id, sector_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with PlannerUnitOfWork(database, outbox, inbox, "planner") as uow:
        await uow.keywords.add_new([{
            "id": uuid.uuid4(), "account_id": account_id, "site_id": site_id,
            "sector_id": sector_id, "keyword": keyword, "normalized": normalize(keyword)}
            for keyword in KEYWORDS])
        await uow.commit()
    return account_id


async def found(database: Database, account_id: uuid.UUID, search: str) -> list[str]:
    async with PlannerUnitOfWork(database, outbox, inbox, "planner", read_only=True) as uow:
        filters = KeywordFilters(search=search)
        rows, _ = await uow.keywords.page(account_id, filters, "keyword", None, 50)
        assert await uow.keywords.count(account_id, filters) == len(rows)
    return sorted(view.keyword for view, _ in rows)


@pytest.mark.parametrize(("search", "expected"), [
    ("50%", ["50% off shoes"]),
    ("%", ["50% off shoes"]),
    ("A_B", ["a_b widget"]),
    ("_", ["a_b widget"]),
    ("a\\b", ["a\\b widget"]),
    ("a/b", ["a/b widget"]),
    ("//", ["a//b widget"]),
    ("WIDGET", ["a//b widget", "a/b widget", "a\\b widget", "a_b widget", "axb widget"]),
])
async def test_search_matches_the_text_literally(database: Database, account_id: uuid.UUID,
                                                 search: str, expected: list[str]) -> None:
    assert await found(database, account_id, search) == expected
