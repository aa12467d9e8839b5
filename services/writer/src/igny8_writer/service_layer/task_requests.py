"""Task reads and writes asked for over request/reply (each answers its reply model, or a
QueryResult refusal; anything outside the caller's scope is 404), and tasks created from the
planner's IdeasQueued."""

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
    TaskView,
    UpdateTask,
)
from igny8_writer.service_layer.uow import WriterUnitOfWork

NOT_FOUND: Final = QueryResult.failure(404, "Task not found.")
DEFAULT_WORD_COUNT: Final = 1200
MIN_WORD_COUNT: Final = 100


def keywords_from_texts(texts: list[str]) -> list[dict[str, Any]]:
    """Target keywords typed by hand: trimmed, each once (case-insensitively), in order."""
    seen: dict[str, str] = {}
    for text in texts:
        keyword = " ".join(text.split())
        if keyword and keyword.casefold() not in seen:
            seen[keyword.casefold()] = keyword
    return [TaskKeyword(keyword=k).model_dump(mode="json") for k in seen.values()]


async def tasks_from_ideas(event: IdeasQueued, uow: WriterUnitOfWork) -> int:
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
    return len(await uow.tasks.add(rows))


async def list_tasks(query: ListTasks, uow: WriterUnitOfWork) -> TaskPage:
    results, count = await uow.tasks.page(
        query.account_id, query.filters, query.ordering, query.page, query.page_size)
    return TaskPage(results=results, count=count)


async def get_task(query: GetTask, uow: WriterUnitOfWork) -> TaskView | QueryResult:
    found = await uow.tasks.get(query.account_id, query.task_id, query.visible_site_ids)
    return found or NOT_FOUND


async def find_tasks(query: FindTasks, uow: WriterUnitOfWork) -> TaskRefs:
    refs = await uow.tasks.refs(query.account_id, query.task_ids, query.visible_site_ids)
    return TaskRefs(tasks=refs)


async def create_task(request: CreateTask, uow: WriterUnitOfWork) -> TaskView | QueryResult:
    task = request.task
    task_id = uuid.uuid4()
    await uow.tasks.add([{
        "id": task_id, "account_id": request.account_id, "site_id": task.site_id,
        "sector_id": task.sector_id, "idea_id": None, "cluster_id": task.cluster_id,
        "title": " ".join(task.title.split()) or task.title, "description": task.description,
        "keywords": keywords_from_texts(task.keywords),
        "content_structure": task.content_structure, "content_type": task.content_type,
        "word_count": task.word_count, "status": task.status}])
    await uow.commit()
    return await uow.tasks.get(request.account_id, task_id) or NOT_FOUND


async def update_task(request: UpdateTask, uow: WriterUnitOfWork) -> TaskView | QueryResult:
    current = await uow.tasks.get(request.account_id, request.task_id,
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
    await uow.tasks.change(current.id, values)
    await uow.commit()
    return await uow.tasks.get(request.account_id, current.id) or NOT_FOUND


async def delete_tasks(request: DeleteTasks, uow: WriterUnitOfWork) -> AffectedTasks:
    count = await uow.tasks.delete(request.account_id, request.task_ids,
                                   request.visible_site_ids)
    await uow.commit()
    return AffectedTasks(count=count)


async def set_task_status(request: SetTaskStatus, uow: WriterUnitOfWork) -> AffectedTasks:
    extra = {} if request.status == "failed" else {"error": ""}
    count = await uow.tasks.set_status(
        request.account_id, request.task_ids, request.status, request.visible_site_ids, **extra)
    await uow.commit()
    return AffectedTasks(count=count)
