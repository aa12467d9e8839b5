"""Searching tasks and content matches the text typed, literally: ``%``, ``_``, ``/`` and ``\\``
are characters, not LIKE wildcards or escapes (against real PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from igny8_contracts.writer import ContentFilters, TaskFilters
from igny8_runtime.db import Database
from igny8_runtime.migrations import upgrade
from igny8_writer.adapters.orm import inbox, outbox
from igny8_writer.domain.articles import Article, GeneratedContent
from igny8_writer.service_layer.uow import WriterUnitOfWork

pytestmark = pytest.mark.integration

TITLES = ["50% off trail shoes", "500 trail shoes", "snake_case guide", "snakeXcase guide",
          "and/or shoes", "and or shoes", "back\\slash shoes", "backslash shoes"]


@pytest.fixture(scope="module")
async def db(database_url: str) -> AsyncIterator[Database]:
    upgrade("writer", database_url)
    database = Database.connect(database_url, "writer", pool_size=2)
    yield database
    await database.dispose()


def _generated(account_id: uuid.UUID, task: dict[str, object], focus: str) -> GeneratedContent:
    title = str(task["title"])
    article = Article(title=title, slug="", html="<p>Text.</p>", excerpt="", meta_title=title,
                      meta_description="", categories=[], tags=[], language="en", word_count=1)
    return GeneratedContent(
        account_id=account_id, task_id=task["id"], site_id=task["site_id"],  # type: ignore[arg-type]
        sector_id=task["sector_id"], cluster_id=None, keyword_ids=[],  # type: ignore[arg-type]
        focus_keyword=focus, author_profile_id=None, article=article, offline=True,
        operation_id=uuid.uuid4())


async def _account_with_tasks_and_content(db: Database) -> uuid.UUID:
    """One task per title, each with an article whose focus keyword is the title in upper
    case (the article's own title says nothing)."""
    account_id, site_id, sector_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    rows = [{"id": uuid.uuid4(), "account_id": account_id, "site_id": site_id,
             "sector_id": sector_id, "title": title,
             "content_structure": "supporting_page", "content_type": "blog_post"}
            for title in TITLES]
    async with WriterUnitOfWork(db, outbox, inbox, "writer") as uow:
        await uow.tasks.add(rows)
        for i, row in enumerate(rows):
            await uow.content.add_generated(uuid.uuid4(), _generated(
                account_id, {**row, "title": f"Article {i}"}, str(row["title"]).upper()))
        await uow.commit()
    return account_id


async def _found(db: Database, account_id: uuid.UUID, search: str) -> tuple[list[str], list[str]]:
    """The title of each task found, and the focus keyword of each article found."""
    async with WriterUnitOfWork(db, outbox, inbox, "writer", read_only=True) as uow:
        tasks, _ = await uow.tasks.page(account_id, TaskFilters(search=search), "title", 1, 50)
        content, _ = await uow.content.page(account_id, ContentFilters(search=search),
                                            "title", 1, 50)
    return ([t.title for t in tasks],
            [c.focus_keyword.lower() for c in content])


@pytest.mark.parametrize(("search", "expected"), [
    ("50%", "50% off trail shoes"),
    ("e_c", "snake_case guide"),
    ("d/o", "and/or shoes"),
    ("k\\s", "back\\slash shoes"),
])
async def test_search_matches_wildcard_characters_literally(db: Database, search: str,
                                                            expected: str) -> None:
    account_id = await _account_with_tasks_and_content(db)
    found_tasks, found_content = await _found(db, account_id, search)
    assert found_tasks == [expected]
    assert found_content == [expected]


async def test_search_ignores_case_and_surrounding_spaces(db: Database) -> None:
    account_id = await _account_with_tasks_and_content(db)
    found_tasks, found_content = await _found(db, account_id, "  TRAIL shoes ")
    assert sorted(found_tasks) == ["50% off trail shoes", "500 trail shoes"]
    assert sorted(found_content) == ["50% off trail shoes", "500 trail shoes"]
