"""Subjects the writer answers or consumes (tasks, author profiles, article generation,
content), each mapped to its handler."""

from __future__ import annotations

from igny8_ai import AIEngine, build_provider
from igny8_ai.account import AccountAiUnavailable
from igny8_contracts import QueryResult
from igny8_contracts.planner import IdeasQueued
from igny8_contracts.writer import (
    AffectedTasks,
    AuthorProfilePage,
    AuthorProfileView,
    ChangeContentStatus,
    ContentDiff,
    ContentPage,
    ContentVersionList,
    ContentView,
    CreateAuthorProfile,
    CreateTask,
    DeleteAuthorProfile,
    DeleteContent,
    DeletedContent,
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
    PublishableContent,
    RestoreContentVersion,
    SetTaskStatus,
    TaskPage,
    TaskRefs,
    TaskView,
    UpdateAuthorProfile,
    UpdateTask,
)
from igny8_runtime.handling import HandlerContext
from igny8_writer.adapters.article_ai import PROMPT_KEY
from igny8_writer.adapters.media import ImageFiles
from igny8_writer.app import service
from igny8_writer.entrypoints.context import ai_for_account, new_uows
from igny8_writer.service_layer import (
    author_profiles,
    content_requests,
    deletion,
    generation,
    task_requests,
)
from igny8_writer.service_layer.uow import WriterUnitOfWork
from igny8_writer.settings import WriterSettings

# ------------------------------------------------------------------------------ tasks


@service.on_event(IdeasQueued, "create-tasks-from-ideas")
async def on_ideas_queued(event: IdeasQueued, uow: WriterUnitOfWork,
                          ctx: HandlerContext) -> None:
    """Creates one writer task per queued idea (an idea that has its task already is skipped)."""
    await task_requests.tasks_from_ideas(event, uow)


@service.on_query(ListTasks, read_only=True)
async def on_list_tasks(query: ListTasks, uow: WriterUnitOfWork,
                        ctx: HandlerContext) -> TaskPage:
    """Answers a page of the account's tasks matching the filters."""
    return await task_requests.list_tasks(query, uow)


@service.on_query(GetTask, read_only=True)
async def on_get_task(query: GetTask, uow: WriterUnitOfWork,
                      ctx: HandlerContext) -> TaskView | QueryResult:
    """Answers one task in the caller's scope."""
    return await task_requests.get_task(query, uow)


@service.on_query(FindTasks, read_only=True)
async def on_find_tasks(query: FindTasks, uow: WriterUnitOfWork,
                        ctx: HandlerContext) -> TaskRefs:
    """Answers which of the given tasks are in the caller's scope (with their target length)."""
    return await task_requests.find_tasks(query, uow)


@service.on_query(CreateTask, read_only=False)
async def on_create_task(request: CreateTask, uow: WriterUnitOfWork,
                         ctx: HandlerContext) -> TaskView | QueryResult:
    """Creates a task by hand."""
    return await task_requests.create_task(request, uow)


@service.on_query(UpdateTask, read_only=False)
async def on_update_task(request: UpdateTask, uow: WriterUnitOfWork,
                         ctx: HandlerContext) -> TaskView | QueryResult:
    """Changes the given fields of one task."""
    return await task_requests.update_task(request, uow)


@service.on_query(DeleteTasks, read_only=False)
async def on_delete_tasks(request: DeleteTasks, uow: WriterUnitOfWork,
                          ctx: HandlerContext) -> AffectedTasks:
    """Deletes the tasks of the caller's scope among the ids; answers how many."""
    return await task_requests.delete_tasks(request, uow)


@service.on_query(SetTaskStatus, read_only=False)
async def on_set_task_status(request: SetTaskStatus, uow: WriterUnitOfWork,
                             ctx: HandlerContext) -> AffectedTasks:
    """Sets the status of the tasks of the caller's scope among the ids."""
    return await task_requests.set_task_status(request, uow)


# ------------------------------------------------------------------------------ generation


@service.on_event(GenerateContent, "generate-content")
async def on_generate_content(command: GenerateContent, uow: WriterUnitOfWork,
                              ctx: HandlerContext) -> None:
    """Writes one article per task with the AI engine; reports each task's outcome."""
    reporter = generation.reporter_for(command)
    await ctx.progress(reporter, "PREP", 2, "Reading the tasks")
    writer = generation.BatchWriter(command, new_uows(ctx), ctx.get(AIEngine), reporter,
                                    ctx.progress)
    try:
        ai = await ai_for_account(ctx, command.account_id)
    except AccountAiUnavailable as exc:
        if exc.retryable:
            raise  # redelivered later, with backoff
        outcomes = await writer.run(uow, None, None, 1, unavailable=exc.reason)
    else:
        provider = build_provider(ai.provider)
        try:
            concurrency = ctx.get(WriterSettings).generation_concurrency
            outcomes = await writer.run(uow, provider, ai.override_for(PROMPT_KEY), concurrency)
        finally:
            await provider.aclose()
    generation.report(uow, reporter, outcomes)


# ------------------------------------------------------------------------------ author profiles


@service.on_query(ListAuthorProfiles, read_only=True)
async def on_list_author_profiles(query: ListAuthorProfiles, uow: WriterUnitOfWork,
                                  ctx: HandlerContext) -> AuthorProfilePage:
    """Answers a page of the account's author profiles."""
    return await author_profiles.list_profiles(query, uow)


@service.on_query(GetAuthorProfile, read_only=True)
async def on_get_author_profile(query: GetAuthorProfile, uow: WriterUnitOfWork,
                                ctx: HandlerContext) -> AuthorProfileView | QueryResult:
    """Answers one of the account's author profiles."""
    return await author_profiles.get_profile(query, uow)


@service.on_query(CreateAuthorProfile, read_only=False)
async def on_create_author_profile(request: CreateAuthorProfile, uow: WriterUnitOfWork,
                                   ctx: HandlerContext) -> AuthorProfileView | QueryResult:
    """Creates an author profile."""
    return await author_profiles.create_profile(request, uow)


@service.on_query(UpdateAuthorProfile, read_only=False)
async def on_update_author_profile(request: UpdateAuthorProfile, uow: WriterUnitOfWork,
                                   ctx: HandlerContext) -> AuthorProfileView | QueryResult:
    """Changes the given fields of an author profile."""
    return await author_profiles.update_profile(request, uow)


@service.on_query(DeleteAuthorProfile, read_only=False)
async def on_delete_author_profile(request: DeleteAuthorProfile, uow: WriterUnitOfWork,
                                   ctx: HandlerContext) -> AffectedTasks | QueryResult:
    """Deletes an author profile."""
    return await author_profiles.delete_profile(request, uow)


# ------------------------------------------------------------------------------ content


@service.on_query(ListContent, read_only=True)
async def on_list_content(query: ListContent, uow: WriterUnitOfWork,
                          ctx: HandlerContext) -> ContentPage:
    """Answers a page of the account's articles matching the filters."""
    return await content_requests.list_content(query, uow)


@service.on_query(GetContent, read_only=True)
async def on_get_content(query: GetContent, uow: WriterUnitOfWork,
                         ctx: HandlerContext) -> ContentView | QueryResult:
    """Answers one article in the caller's scope."""
    return await content_requests.get_content(query, uow)


@service.on_query(EditContent, read_only=False)
async def on_edit_content(request: EditContent, uow: WriterUnitOfWork,
                          ctx: HandlerContext) -> ContentView | QueryResult:
    """Changes an article's title and/or HTML (sanitised) as its next version."""
    return await content_requests.edit_content(request, uow)


@service.on_query(ListContentVersions, read_only=True)
async def on_list_content_versions(query: ListContentVersions, uow: WriterUnitOfWork,
                                   ctx: HandlerContext) -> ContentVersionList | QueryResult:
    """Answers every version of an article."""
    return await content_requests.list_versions(query, uow)


@service.on_query(DiffContentVersions, read_only=True)
async def on_diff_content_versions(query: DiffContentVersions, uow: WriterUnitOfWork,
                                   ctx: HandlerContext) -> ContentDiff | QueryResult:
    """Answers what changed between two versions of an article."""
    return await content_requests.diff_versions(query, uow)


@service.on_query(RestoreContentVersion, read_only=False)
async def on_restore_content_version(request: RestoreContentVersion, uow: WriterUnitOfWork,
                                     ctx: HandlerContext) -> ContentView | QueryResult:
    """Makes an earlier version of an article current again (as its next version)."""
    return await content_requests.restore_version(request, uow)


@service.on_query(DeleteContent, read_only=False)
async def on_delete_content(request: DeleteContent, uow: WriterUnitOfWork,
                            ctx: HandlerContext) -> DeletedContent:
    """Deletes articles of the caller's scope (versions, images), then their image files."""
    return await deletion.delete_content(request, uow, ctx.get(ImageFiles).store)


@service.on_query(ChangeContentStatus, read_only=False)
async def on_change_content_status(request: ChangeContentStatus, uow: WriterUnitOfWork,
                                   ctx: HandlerContext) -> ContentView | QueryResult:
    """Moves an article along the review workflow (409 for a move it does not allow)."""
    return await content_requests.change_status(request, uow)


@service.on_query(GetPublishableContent, read_only=True)
async def on_get_publishable_content(query: GetPublishableContent, uow: WriterUnitOfWork,
                                     ctx: HandlerContext) -> PublishableContent | QueryResult:
    """Answers what the publisher sends to WordPress: the article and its images."""
    return await content_requests.publishable(query, uow)
