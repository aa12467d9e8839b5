"""Subjects the planner answers or consumes, each mapped to its handler."""

from __future__ import annotations

from igny8_contracts import Envelope, QueryResult
from igny8_contracts.planner import (
    AutoClusterKeywords,
    CreateKeywords,
    DeleteKeywords,
    ExportKeywords,
    GetKeyword,
    ImportKeywords,
    ListKeywords,
    SetKeywordStatus,
    UpdateKeyword,
)
from igny8_planner.adapters.file_store import FileStore, MissingFileError
from igny8_planner.app import service
from igny8_planner.service_layer import clustering, exporting, importing, keywords
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.consumers import Reject
from igny8_runtime.operations import OperationReporter
from igny8_runtime.service import ServiceRuntime

NOT_YOURS = QueryResult.failure(404, "Keyword not found.")


class _Running:
    """The started runtime, for the import handler's object store and progress transactions
    (event handlers are given only their unit of work)."""

    runtime: ServiceRuntime | None = None

    @classmethod
    def get(cls) -> ServiceRuntime:
        assert cls.runtime is not None, "planner not started"
        return cls.runtime


@service.on_start
async def remember_runtime(runtime: ServiceRuntime) -> None:
    _Running.runtime = runtime


async def _progress(reporter: OperationReporter, phase: str, percent: int, message: str) -> None:
    uow: PlannerUnitOfWork = _Running.get().uow()
    async with uow:
        reporter.update(uow, phase=phase, percent=percent, message=message)
        await uow.commit()


@service.on_event(ImportKeywords, "import-keywords")
async def on_import_keywords(
    command: ImportKeywords, envelope: Envelope, uow: PlannerUnitOfWork
) -> None:
    """Imports an uploaded CSV/TSV file into a sector and reports the outcome."""
    if envelope.account_id != command.account_id:
        raise Reject("the envelope's account differs from the command's account")
    reporter = importing.reporter_for(command)
    await _progress(reporter, "PREP", 2, "Reading the file")
    files = FileStore(_Running.get().js)
    try:
        async with files.downloaded(command.bucket, command.object_name) as path:
            await importing.import_file(command, path, uow, reporter, _progress)
    except MissingFileError:
        reporter.fail(uow, "The uploaded file is no longer available; upload it again.")


@service.on_event(AutoClusterKeywords, "auto-cluster-keywords")
async def on_auto_cluster_keywords(
    command: AutoClusterKeywords, envelope: Envelope, uow: PlannerUnitOfWork
) -> None:
    """Clusters a sector's unclustered (or the given) keywords and reports the outcome."""
    if envelope.account_id != command.account_id:
        raise Reject("the envelope's account differs from the command's account")
    reporter = clustering.reporter_for(command)
    await _progress(reporter, "PREP", 2, "Reading the keywords")
    await clustering.auto_cluster(command, uow, reporter, _progress)


def _mine(envelope: Envelope, account_id: object) -> bool:
    return envelope.account_id is not None and envelope.account_id == account_id


@service.on_query(ListKeywords)
async def on_list(query: ListKeywords, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Answers a keyset page of the account's keywords matching the filters."""
    if not _mine(envelope, query.account_id):
        return NOT_YOURS
    async with runtime.uow(read_only=True) as uow:
        return await keywords.list_keywords(query, uow)


@service.on_query(GetKeyword)
async def on_get(query: GetKeyword, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Answers one keyword in the caller's scope."""
    if not _mine(envelope, query.account_id):
        return NOT_YOURS
    async with runtime.uow(read_only=True) as uow:
        return await keywords.get_keyword(query, uow)


@service.on_query(CreateKeywords)
async def on_create(request: CreateKeywords, envelope: Envelope,
                    runtime: ServiceRuntime) -> QueryResult:
    """Creates keywords in a sector (duplicates after normalisation are reported)."""
    if not _mine(envelope, request.account_id):
        return NOT_YOURS
    async with runtime.uow() as uow:
        return await keywords.create_keywords(request, uow)


@service.on_query(UpdateKeyword)
async def on_update(request: UpdateKeyword, envelope: Envelope,
                    runtime: ServiceRuntime) -> QueryResult:
    """Changes the given fields of one keyword."""
    if not _mine(envelope, request.account_id):
        return NOT_YOURS
    async with runtime.uow() as uow:
        return await keywords.update_keyword(request, uow)


@service.on_query(DeleteKeywords)
async def on_delete(request: DeleteKeywords, envelope: Envelope,
                    runtime: ServiceRuntime) -> QueryResult:
    """Deletes the keywords of the caller's scope among the ids; answers how many."""
    if not _mine(envelope, request.account_id):
        return NOT_YOURS
    async with runtime.uow() as uow:
        return await keywords.delete_keywords(request, uow)


@service.on_query(SetKeywordStatus)
async def on_set_status(request: SetKeywordStatus, envelope: Envelope,
                        runtime: ServiceRuntime) -> QueryResult:
    """Sets the status of the keywords of the caller's scope among the ids."""
    if not _mine(envelope, request.account_id):
        return NOT_YOURS
    async with runtime.uow() as uow:
        return await keywords.set_status(request, uow)


@service.on_query(ExportKeywords)
async def on_export(request: ExportKeywords, envelope: Envelope,
                    runtime: ServiceRuntime) -> QueryResult:
    """Writes the matching keywords as CSV to the object store; answers where."""
    if not _mine(envelope, request.account_id):
        return NOT_YOURS
    # Not read-only: the server-side cursor that streams the rows needs a transaction.
    async with runtime.uow() as uow:
        return await exporting.export_keywords(request, uow, FileStore(runtime.js))
