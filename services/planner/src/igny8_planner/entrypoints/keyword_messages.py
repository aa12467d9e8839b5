"""Keyword subjects the planner answers or consumes, each mapped to its handler."""

from __future__ import annotations

from igny8_contracts import QueryResult
from igny8_contracts.planner import (
    AffectedKeywords,
    CreatedKeywords,
    CreateKeywords,
    DeleteKeywords,
    ExportedKeywords,
    ExportKeywords,
    GetKeyword,
    ImportKeywords,
    KeywordPage,
    KeywordView,
    ListKeywords,
    SetKeywordStatus,
    UpdateKeyword,
)
from igny8_planner.adapters.file_store import FileStore
from igny8_planner.app import service
from igny8_planner.service_layer import exporting, importing, keywords
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.handling import HandlerContext


@service.on_event(ImportKeywords, "import-keywords")
async def on_import_keywords(command: ImportKeywords, uow: PlannerUnitOfWork,
                             ctx: HandlerContext) -> None:
    """Imports an uploaded CSV/TSV file into a sector and reports the outcome."""
    await importing.import_keywords(command, uow, ctx.get(FileStore), ctx.progress)


@service.on_query(ListKeywords, read_only=True)
async def on_list_keywords(query: ListKeywords, uow: PlannerUnitOfWork,
                           ctx: HandlerContext) -> KeywordPage | QueryResult:
    """Answers a keyset page of the account's keywords matching the filters."""
    return await keywords.list_keywords(query, uow)


@service.on_query(GetKeyword, read_only=True)
async def on_get_keyword(query: GetKeyword, uow: PlannerUnitOfWork,
                         ctx: HandlerContext) -> KeywordView | QueryResult:
    """Answers one keyword in the caller's scope."""
    return await keywords.get_keyword(query, uow)


@service.on_query(CreateKeywords, read_only=False)
async def on_create_keywords(request: CreateKeywords, uow: PlannerUnitOfWork,
                             ctx: HandlerContext) -> CreatedKeywords | QueryResult:
    """Creates keywords in a sector (duplicates after normalisation are reported)."""
    return await keywords.create_keywords(request, uow)


@service.on_query(UpdateKeyword, read_only=False)
async def on_update_keyword(request: UpdateKeyword, uow: PlannerUnitOfWork,
                            ctx: HandlerContext) -> KeywordView | QueryResult:
    """Changes the given fields of one keyword."""
    return await keywords.update_keyword(request, uow)


@service.on_query(DeleteKeywords, read_only=False)
async def on_delete_keywords(request: DeleteKeywords, uow: PlannerUnitOfWork,
                             ctx: HandlerContext) -> AffectedKeywords:
    """Deletes the keywords of the caller's scope among the ids; answers how many."""
    return await keywords.delete_keywords(request, uow)


@service.on_query(SetKeywordStatus, read_only=False)
async def on_set_keyword_status(request: SetKeywordStatus, uow: PlannerUnitOfWork,
                                ctx: HandlerContext) -> AffectedKeywords:
    """Sets the status of the keywords of the caller's scope among the ids."""
    return await keywords.set_status(request, uow)


# Not read-only: the server-side cursor that streams the rows needs a transaction.
@service.on_query(ExportKeywords, read_only=False)
async def on_export_keywords(request: ExportKeywords, uow: PlannerUnitOfWork,
                             ctx: HandlerContext) -> ExportedKeywords:
    """Writes the matching keywords as CSV to the object store; answers where."""
    return await exporting.export_keywords(request, uow, ctx.get(FileStore))
