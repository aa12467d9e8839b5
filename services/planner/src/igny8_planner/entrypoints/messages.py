"""Subjects the planner answers or consumes, each mapped to its handler."""

from __future__ import annotations

import asyncio
import uuid

from igny8_ai import AIContext, AIEngine, AutoCluster, OperationResult, Phase, build_provider
from igny8_ai import GenerateIdeas as GenerateIdeasFunction
from igny8_ai.account import AccountAiResolved, AccountAiUnavailable, account_ai
from igny8_ai.embeddings import embed_texts
from igny8_contracts import Envelope, QueryResult
from igny8_contracts.planner import (
    AutoClusterKeywords,
    CreateIdea,
    CreateKeywords,
    DeleteCluster,
    DeleteIdeas,
    DeleteKeywords,
    ExportKeywords,
    FindIdeaClusters,
    GenerateIdeas,
    GetCluster,
    GetIdea,
    GetKeyword,
    ImportKeywords,
    ListClusters,
    ListIdeas,
    ListKeywords,
    MergeClusters,
    MoveKeywords,
    QueueIdeasToWriter,
    SetKeywordStatus,
    SplitCluster,
    UpdateCluster,
    UpdateIdea,
    UpdateKeyword,
)
from igny8_contracts.system import AccountAi, GetAccountAi
from igny8_planner.adapters.file_store import FileStore, MissingFileError
from igny8_planner.app import service
from igny8_planner.domain.clustering.semantic import Matrix
from igny8_planner.service_layer import (
    cluster_edits,
    clustering,
    exporting,
    idea_requests,
    ideas,
    importing,
    keywords,
    llm_clustering,
)
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_planner.settings import planner_settings
from igny8_runtime import rpc
from igny8_runtime.consumers import Reject
from igny8_runtime.operations import OperationReporter
from igny8_runtime.secrets import SecretBox
from igny8_runtime.service import ServiceRuntime


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


AI_ENGINE = AIEngine()  # one per process: it holds the rate limiters
IDEAS_PROMPT = GenerateIdeasFunction.prompt_key
CLUSTER_PROMPT = AutoCluster.prompt_key


@service.on_start
async def open_secret_box(runtime: ServiceRuntime) -> None:
    """The keys that open the accounts' AI provider keys (IGNY8_SECRETS_KEYS)."""
    runtime.provide(await asyncio.to_thread(SecretBox.from_settings))


async def _account_ai(account_id: uuid.UUID) -> AccountAiResolved:
    """The account's AI provider (the planner's default when it set none) and prompts, as the
    gateway keeps them."""
    runtime = _Running.get()

    async def ask(query: GetAccountAi) -> AccountAi:
        return await rpc.ask(runtime.broker, query, account_id=account_id, source="planner",
                             timeout=runtime.settings.rpc_timeout_seconds)

    return await account_ai(ask, account_id, planner_settings().ai_provider,
                            runtime.get(SecretBox))


@service.on_event_legacy(ImportKeywords, "import-keywords")
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


@service.on_event_legacy(AutoClusterKeywords, "auto-cluster-keywords")
async def on_auto_cluster_keywords(
    command: AutoClusterKeywords, envelope: Envelope, uow: PlannerUnitOfWork
) -> None:
    """Clusters a sector's unclustered (or the given) keywords and reports the outcome."""
    if envelope.account_id != command.account_id:
        raise Reject("the envelope's account differs from the command's account")
    reporter = clustering.reporter_for(command)
    await _progress(reporter, "PREP", 2, "Reading the keywords")
    if command.method == "local":
        await clustering.auto_cluster(command, uow, reporter, _progress)
        return
    try:
        ai = await _account_ai(command.account_id)
    except AccountAiUnavailable as exc:
        if exc.retryable:
            raise
        clustering.fail_unstarted(command, uow, reporter,
                                  f"The account's AI settings: {exc.reason}")
        return
    provider = build_provider(ai.provider)
    if command.method == "llm":
        context = AIContext(account_id=str(command.account_id), provider=provider,
                            operation_id=str(command.operation_id),
                            prompt_override=ai.override_for(CLUSTER_PROMPT))
        try:
            await llm_clustering.auto_cluster_llm(command, uow, reporter, _progress, AI_ENGINE,
                                                  context)
        finally:
            await provider.aclose()
        return

    async def on_progress(phase: Phase, percent: int, message: str) -> None:
        await _progress(reporter, str(phase), 10 + percent * 7 // 10, message)

    async def embed(texts: list[str]) -> OperationResult[Matrix]:
        context = AIContext(account_id=str(command.account_id), provider=provider,
                            operation_id=str(command.operation_id), on_progress=on_progress)
        return await embed_texts(AI_ENGINE, texts, context, operation_type="clustering")

    try:
        await clustering.auto_cluster(command, uow, reporter, _progress, embed)
    finally:
        await provider.aclose()


@service.on_query_legacy(ListKeywords)
async def on_list(query: ListKeywords, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Answers a keyset page of the account's keywords matching the filters."""
    async with runtime.uow(read_only=True) as uow:
        return await keywords.list_keywords(query, uow)


@service.on_query_legacy(GetKeyword)
async def on_get(query: GetKeyword, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Answers one keyword in the caller's scope."""
    async with runtime.uow(read_only=True) as uow:
        return await keywords.get_keyword(query, uow)


@service.on_query_legacy(CreateKeywords)
async def on_create(request: CreateKeywords, envelope: Envelope,
                    runtime: ServiceRuntime) -> QueryResult:
    """Creates keywords in a sector (duplicates after normalisation are reported)."""
    async with runtime.uow() as uow:
        return await keywords.create_keywords(request, uow)


@service.on_query_legacy(UpdateKeyword)
async def on_update(request: UpdateKeyword, envelope: Envelope,
                    runtime: ServiceRuntime) -> QueryResult:
    """Changes the given fields of one keyword."""
    async with runtime.uow() as uow:
        return await keywords.update_keyword(request, uow)


@service.on_query_legacy(DeleteKeywords)
async def on_delete(request: DeleteKeywords, envelope: Envelope,
                    runtime: ServiceRuntime) -> QueryResult:
    """Deletes the keywords of the caller's scope among the ids; answers how many."""
    async with runtime.uow() as uow:
        return await keywords.delete_keywords(request, uow)


@service.on_query_legacy(SetKeywordStatus)
async def on_set_status(request: SetKeywordStatus, envelope: Envelope,
                        runtime: ServiceRuntime) -> QueryResult:
    """Sets the status of the keywords of the caller's scope among the ids."""
    async with runtime.uow() as uow:
        return await keywords.set_status(request, uow)


@service.on_query_legacy(ExportKeywords)
async def on_export(request: ExportKeywords, envelope: Envelope,
                    runtime: ServiceRuntime) -> QueryResult:
    """Writes the matching keywords as CSV to the object store; answers where."""
    # Not read-only: the server-side cursor that streams the rows needs a transaction.
    async with runtime.uow() as uow:
        return await exporting.export_keywords(request, uow, FileStore(runtime.js))


@service.on_query_legacy(ListClusters)
async def on_list_clusters(query: ListClusters, envelope: Envelope,
                           runtime: ServiceRuntime) -> QueryResult:
    """Answers a page of the account's clusters (with their stats)."""
    async with runtime.uow(read_only=True) as uow:
        return await cluster_edits.list_clusters(query, uow)


@service.on_query_legacy(GetCluster)
async def on_get_cluster(query: GetCluster, envelope: Envelope,
                         runtime: ServiceRuntime) -> QueryResult:
    """Answers one cluster in the caller's scope."""
    async with runtime.uow(read_only=True) as uow:
        return await cluster_edits.get_cluster(query, uow)


@service.on_query_legacy(UpdateCluster)
async def on_update_cluster(request: UpdateCluster, envelope: Envelope,
                            runtime: ServiceRuntime) -> QueryResult:
    """Renames a cluster or changes its description."""
    async with runtime.uow() as uow:
        return await cluster_edits.update_cluster(request, uow)


@service.on_query_legacy(DeleteCluster)
async def on_delete_cluster(request: DeleteCluster, envelope: Envelope,
                            runtime: ServiceRuntime) -> QueryResult:
    """Deletes a cluster; its keywords become unclustered."""
    async with runtime.uow() as uow:
        return await cluster_edits.delete_cluster(request, uow)


@service.on_query_legacy(MergeClusters)
async def on_merge_clusters(request: MergeClusters, envelope: Envelope,
                            runtime: ServiceRuntime) -> QueryResult:
    """Merges clusters of one sector into one."""
    async with runtime.uow() as uow:
        return await cluster_edits.merge_clusters(request, uow)


@service.on_query_legacy(SplitCluster)
async def on_split_cluster(request: SplitCluster, envelope: Envelope,
                           runtime: ServiceRuntime) -> QueryResult:
    """Moves some of a cluster's keywords into a new cluster."""
    async with runtime.uow() as uow:
        return await cluster_edits.split_cluster(request, uow)


@service.on_query_legacy(MoveKeywords)
async def on_move_keywords(request: MoveKeywords, envelope: Envelope,
                           runtime: ServiceRuntime) -> QueryResult:
    """Moves keywords into a cluster of their sector, or out of their cluster."""
    async with runtime.uow() as uow:
        return await cluster_edits.move_keywords(request, uow)


# ------------------------------------------------------------------------------ content ideas

@service.on_event_legacy(GenerateIdeas, "generate-ideas")
async def on_generate_ideas(
    command: GenerateIdeas, envelope: Envelope, uow: PlannerUnitOfWork
) -> None:
    """Generates content ideas for clusters with the account's AI provider and prompt and
    reports the outcome. A gateway that does not answer is retried (the message is
    redelivered); settings that cannot be used fail the operation."""
    if envelope.account_id != command.account_id:
        raise Reject("the envelope's account differs from the command's account")
    reporter = ideas.reporter_for(command)
    await _progress(reporter, "PREP", 2, "Reading the clusters")
    try:
        ai = await _account_ai(command.account_id)
    except AccountAiUnavailable as exc:
        if exc.retryable:
            raise
        ideas.fail_unstarted(command, uow, reporter, f"The account's AI settings: {exc.reason}")
        return
    provider = build_provider(ai.provider)
    try:
        await ideas.generate_ideas(command, uow, reporter, _progress, AI_ENGINE, provider,
                                   prompt_override=ai.override_for(IDEAS_PROMPT))
    finally:
        await provider.aclose()


@service.on_query_legacy(FindIdeaClusters)
async def on_find_idea_clusters(query: FindIdeaClusters, envelope: Envelope,
                                runtime: ServiceRuntime) -> QueryResult:
    """Answers which of the given clusters are in the caller's scope."""
    async with runtime.uow(read_only=True) as uow:
        return await idea_requests.find_clusters(query, uow)


@service.on_query_legacy(ListIdeas)
async def on_list_ideas(query: ListIdeas, envelope: Envelope,
                        runtime: ServiceRuntime) -> QueryResult:
    """Answers a page of the account's ideas matching the filters, newest first."""
    async with runtime.uow(read_only=True) as uow:
        return await idea_requests.list_ideas(query, uow)


@service.on_query_legacy(GetIdea)
async def on_get_idea(query: GetIdea, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Answers one idea in the caller's scope."""
    async with runtime.uow(read_only=True) as uow:
        return await idea_requests.get_idea(query, uow)


@service.on_query_legacy(CreateIdea)
async def on_create_idea(request: CreateIdea, envelope: Envelope,
                         runtime: ServiceRuntime) -> QueryResult:
    """Creates an idea for a cluster in the caller's scope."""
    async with runtime.uow() as uow:
        return await idea_requests.create_idea(request, uow)


@service.on_query_legacy(UpdateIdea)
async def on_update_idea(request: UpdateIdea, envelope: Envelope,
                         runtime: ServiceRuntime) -> QueryResult:
    """Changes the given fields of one idea."""
    async with runtime.uow() as uow:
        return await idea_requests.update_idea(request, uow)


@service.on_query_legacy(DeleteIdeas)
async def on_delete_ideas(request: DeleteIdeas, envelope: Envelope,
                          runtime: ServiceRuntime) -> QueryResult:
    """Deletes the ideas of the caller's scope among the ids; answers how many."""
    async with runtime.uow() as uow:
        return await idea_requests.delete_ideas(request, uow)


@service.on_query_legacy(QueueIdeasToWriter)
async def on_queue_ideas(request: QueueIdeasToWriter, envelope: Envelope,
                         runtime: ServiceRuntime) -> QueryResult:
    """Marks ideas queued and sends them to the writer (IdeasQueued)."""
    async with runtime.uow() as uow:
        return await idea_requests.queue_to_writer(request, uow)
