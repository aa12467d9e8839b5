"""Task reads and writes asked for over request/reply (each answers a QueryResult; anything
outside the caller's scope is 404), and tasks created from the planner's IdeasQueued."""

from __future__ import annotations

import uuid
from typing import Any, Final

from igny8_contracts import QueryResult
from igny8_contracts.planner import IdeasQueued
from igny8_contracts.writer import (
    AffectedTasks,
    CreateTask,
    DeleteTasks,
    FindTasks,
    GetTask,
    ListTasks,
    SetTaskStatus,
    TaskKeyword,
    TaskPage,
    TaskRefs,
    UpdateTask,
)
from igny8_runtime.uow import UnitOfWork
from igny8_writer.adapters.task_repository import TaskRepository

NOT_FOUND: Final = QueryResult.failure(404, "Task not found.")
DEFAULT_WORD_COUNT: Final = 1200
MIN_WORD_COUNT: Final = 100


def _json(model: Any) -> QueryResult:
    return QueryResult.success(model.model_dump(mode="json"))


def keywords_from_texts(texts: list[str]) -> list[dict[str, Any]]:
    """Target keywords typed by hand: trimmed, each once (case-insensitively), in order."""
    seen: dict[str, str] = {}
    for text in texts:
        keyword = " ".join(text.split())
        if keyword and keyword.casefold() not in seen:
            seen[keyword.casefold()] = keyword
    return [TaskKeyword(keyword=k).model_dump(mode="json") for k in seen.values()]


async def tasks_from_ideas(event: IdeasQueued, uow: UnitOfWork) -> int:
    """One task per queued idea; an idea that already has its task is skipped (redelivery,
    or the idea queued again). Answers how many were created."""
    rows = [{
        "id": uuid.uuid4(), "account_id": event.account_id, "site_id": idea.site_id,
        "sector_id": idea.sector_id, "idea_id": idea.id, "cluster_id": idea.cluster_id,
        "cluster_name": idea.cluster_name[:255], "title": idea.title[:255],
        "description": idea.outline,
        "keywords": [k.model_dump(mode="json") for k in idea.target_keywords],
        "content_structure": idea.content_structure, "content_type": idea.content_type,
        "word_count": max(MIN_WORD_COUNT, idea.estimated_word_count or DEFAULT_WORD_COUNT),
        "status": "queued",
    } for idea in event.ideas]
    return len(await TaskRepository(uow.session).add(rows))


async def list_tasks(query: ListTasks, uow: UnitOfWork) -> QueryResult:
    results, count = await TaskRepository(uow.session).page(
        query.account_id, query.filters, query.ordering, query.page, query.page_size)
    return _json(TaskPage(results=results, count=count))


async def get_task(query: GetTask, uow: UnitOfWork) -> QueryResult:
    found = await TaskRepository(uow.session).get(query.account_id, query.task_id,
                                                  query.visible_site_ids)
    return _json(found) if found else NOT_FOUND


async def find_tasks(query: FindTasks, uow: UnitOfWork) -> QueryResult:
    refs = await TaskRepository(uow.session).refs(query.account_id, query.task_ids,
                                                  query.visible_site_ids)
    return _json(TaskRefs(tasks=refs))


async def create_task(request: CreateTask, uow: UnitOfWork) -> QueryResult:
    repository = TaskRepository(uow.session)
    task = request.task
    task_id = uuid.uuid4()
    await repository.add([{
        "id": task_id, "account_id": request.account_id, "site_id": task.site_id,
        "sector_id": task.sector_id, "idea_id": None, "cluster_id": task.cluster_id,
        "title": " ".join(task.title.split()) or task.title, "description": task.description,
        "keywords": keywords_from_texts(task.keywords),
        "content_structure": task.content_structure, "content_type": task.content_type,
        "word_count": task.word_count, "status": task.status}])
    await uow.commit()
    return _json(await repository.get(request.account_id, task_id))


async def update_task(request: UpdateTask, uow: UnitOfWork) -> QueryResult:
    repository = TaskRepository(uow.session)
    current = await repository.get(request.account_id, request.task_id,
                                   request.visible_site_ids)
    if current is None:
        return NOT_FOUND
    changes = request.changes
    values = changes.model_dump(include={str(f) for f in changes.fields} - {"keywords"})
    for field in ("title", "content_structure", "content_type", "word_count", "status"):
        if field in values and values[field] is None:
            return QueryResult.failure(400, "Invalid input.", {field: ["may not be null"]})
    if "description" in values and values["description"] is None:
        values["description"] = ""
    if "keywords" in changes.fields:
        values["keywords"] = keywords_from_texts(changes.keywords or [])
    if "status" in values and values["status"] != "failed":
        values["error"] = ""
    await repository.change(current.id, values)
    await uow.commit()
    return _json(await repository.get(request.account_id, current.id))


async def delete_tasks(request: DeleteTasks, uow: UnitOfWork) -> QueryResult:
    count = await TaskRepository(uow.session).delete(request.account_id, request.task_ids,
                                                     request.visible_site_ids)
    await uow.commit()
    return _json(AffectedTasks(count=count))


async def set_task_status(request: SetTaskStatus, uow: UnitOfWork) -> QueryResult:
    extra = {} if request.status == "failed" else {"error": ""}
    count = await TaskRepository(uow.session).set_status(
        request.account_id, request.task_ids, request.status, request.visible_site_ids, **extra)
    await uow.commit()
    return _json(AffectedTasks(count=count))
