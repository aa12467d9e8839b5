"""Subjects the writer answers or consumes (tasks, author profiles, article generation,
content), each mapped to its handler."""

from __future__ import annotations

from igny8_ai import build_provider
from igny8_ai.account import AccountAiUnavailable
from igny8_contracts import Envelope, QueryResult
from igny8_contracts.planner import IdeasQueued
from igny8_contracts.writer import (
    ChangeContentStatus,
    CreateAuthorProfile,
    CreateTask,
    DeleteAuthorProfile,
    DeleteContent,
    DeleteTasks,
    DiffContentVersions,
    EditContent,
    FindTasks,
    GenerateContent,
    GetAuthorProfile,
    GetContent,
    GetPublishableContent,
    GetTask,
    ListAuthorProfiles,
    ListContent,
    ListContentVersions,
    ListTasks,
    RestoreContentVersion,
    SetTaskStatus,
    UpdateAuthorProfile,
    UpdateTask,
)
from igny8_runtime.consumers import Reject
from igny8_runtime.service import ServiceRuntime
from igny8_runtime.uow import UnitOfWork
from igny8_writer.adapters.article_ai import PROMPT_KEY, ai_for_account
from igny8_writer.adapters.media import writer_media_store
from igny8_writer.adapters.shared_ai import shared_ai_engine
from igny8_writer.app import service
from igny8_writer.entrypoints._running import Running, answering, new_uow, progress
from igny8_writer.service_layer import (
    author_profiles,
    content_requests,
    deletion,
    generation,
    task_requests,
)
from igny8_writer.settings import writer_settings

# ------------------------------------------------------------------------------ tasks


@service.on_event_legacy(IdeasQueued, "create-tasks-from-ideas")
async def on_ideas_queued(event: IdeasQueued, envelope: Envelope, uow: UnitOfWork) -> None:
    """Creates one writer task per queued idea (an idea that has its task already is skipped)."""
    if envelope.account_id != event.account_id:
        raise Reject("the envelope's account differs from the event's account")
    await task_requests.tasks_from_ideas(event, uow)


@service.on_query_legacy(ListTasks)
async def on_list_tasks(query: ListTasks, envelope: Envelope,
                        runtime: ServiceRuntime) -> QueryResult:
    """Answers a page of the account's tasks matching the filters."""
    async with runtime.uow(read_only=True) as uow:
        return await task_requests.list_tasks(query, uow)


@service.on_query_legacy(GetTask)
async def on_get_task(query: GetTask, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Answers one task in the caller's scope."""
    async with runtime.uow(read_only=True) as uow:
        return await task_requests.get_task(query, uow)


@service.on_query_legacy(FindTasks)
async def on_find_tasks(query: FindTasks, envelope: Envelope,
                        runtime: ServiceRuntime) -> QueryResult:
    """Answers which of the given tasks are in the caller's scope (with their target length)."""
    async with runtime.uow(read_only=True) as uow:
        return await task_requests.find_tasks(query, uow)


@service.on_query_legacy(CreateTask)
async def on_create_task(request: CreateTask, envelope: Envelope,
                         runtime: ServiceRuntime) -> QueryResult:
    """Creates a task by hand."""
    async with runtime.uow() as uow:
        return await task_requests.create_task(request, uow)


@service.on_query_legacy(UpdateTask)
async def on_update_task(request: UpdateTask, envelope: Envelope,
                         runtime: ServiceRuntime) -> QueryResult:
    """Changes the given fields of one task."""
    async with runtime.uow() as uow:
        return await task_requests.update_task(request, uow)


@service.on_query_legacy(DeleteTasks)
async def on_delete_tasks(request: DeleteTasks, envelope: Envelope,
                          runtime: ServiceRuntime) -> QueryResult:
    """Deletes the tasks of the caller's scope among the ids; answers how many."""
    async with runtime.uow() as uow:
        return await task_requests.delete_tasks(request, uow)


@service.on_query_legacy(SetTaskStatus)
async def on_set_task_status(request: SetTaskStatus, envelope: Envelope,
                             runtime: ServiceRuntime) -> QueryResult:
    """Sets the status of the tasks of the caller's scope among the ids."""
    async with runtime.uow() as uow:
        return await task_requests.set_task_status(request, uow)


# ------------------------------------------------------------------------------ generation

@service.on_event_legacy(GenerateContent, "generate-content")
async def on_generate_content(command: GenerateContent, envelope: Envelope,
                              uow: UnitOfWork) -> None:
    """Writes one article per task with the AI engine; reports each task's outcome."""
    if envelope.account_id != command.account_id:
        raise Reject("the envelope's account differs from the command's account")
    reporter = generation.reporter_for(command)
    await progress(reporter, "PREP", 2, "Reading the tasks")
    writer = generation.BatchWriter(command, new_uow, shared_ai_engine(Running.get()),
                                    reporter, progress)
    try:
        ai = await ai_for_account(Running.get(), command.account_id)
    except AccountAiUnavailable as exc:
        if exc.retryable:
            raise  # redelivered later, with backoff
        outcomes = await writer.run(uow, None, None, 1, unavailable=exc.reason)
    else:
        provider = build_provider(ai.provider)
        try:
            concurrency = writer_settings().generation_concurrency
            outcomes = await writer.run(uow, provider, ai.override_for(PROMPT_KEY), concurrency)
        finally:
            await provider.aclose()
    generation.report(uow, reporter, outcomes)


# ------------------------------------------------------------------------------ author profiles


service.on_query_legacy(ListAuthorProfiles)(answering(author_profiles.list_profiles, read_only=True))
service.on_query_legacy(GetAuthorProfile)(answering(author_profiles.get_profile, read_only=True))
service.on_query_legacy(CreateAuthorProfile)(answering(author_profiles.create_profile, read_only=False))
service.on_query_legacy(UpdateAuthorProfile)(answering(author_profiles.update_profile, read_only=False))
service.on_query_legacy(DeleteAuthorProfile)(answering(author_profiles.delete_profile, read_only=False))

# ------------------------------------------------------------------------------ content

service.on_query_legacy(ListContent)(answering(content_requests.list_content, read_only=True))
service.on_query_legacy(GetContent)(answering(content_requests.get_content, read_only=True))
service.on_query_legacy(EditContent)(answering(content_requests.edit_content, read_only=False))
service.on_query_legacy(ListContentVersions)(answering(content_requests.list_versions, read_only=True))
service.on_query_legacy(DiffContentVersions)(answering(content_requests.diff_versions, read_only=True))
service.on_query_legacy(RestoreContentVersion)(answering(content_requests.restore_version,
                                                  read_only=False))


@service.on_query_legacy(DeleteContent)
async def on_delete_content(request: DeleteContent, envelope: Envelope,
                            runtime: ServiceRuntime) -> QueryResult:
    """Deletes articles of the caller's scope (versions, images), then their image files."""
    async with runtime.uow() as uow:
        return await deletion.delete_content(request, uow, writer_media_store())


service.on_query_legacy(ChangeContentStatus)(answering(content_requests.change_status,
                                                read_only=False))
service.on_query_legacy(GetPublishableContent)(answering(content_requests.publishable,
                                                  read_only=True))
