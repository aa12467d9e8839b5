"""What the automation answers (settings and runs, asked by the gateway) and the owners' events
it follows as a process manager (``on_event(`` below)."""

from __future__ import annotations

from datetime import UTC, datetime

from igny8_automation.app import service
from igny8_automation.service_layer import handlers, pipeline
from igny8_automation.service_layer.uow import AutomationUnitOfWork
from igny8_contracts import QueryResult
from igny8_contracts.automation import (
    AutomationConfigView,
    AutomationRunPage,
    AutomationRunView,
    ChangeAutomationRun,
    GetAutomationConfig,
    GetAutomationRun,
    ListAutomationRuns,
    SaveAutomationConfig,
    StartAutomationRun,
)
from igny8_contracts.identity import SiteDeleted
from igny8_contracts.operations import (
    OperationUpdate,
    PlannerOperationUpdated,
    PublisherOperationUpdated,
    WriterOperationUpdated,
)
from igny8_contracts.writer import ContentApproved
from igny8_runtime.handling import HandlerContext


def _now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------------------ settings


@service.on_query(GetAutomationConfig, read_only=True)
async def on_get_config(query: GetAutomationConfig, uow: AutomationUnitOfWork,
                        ctx: HandlerContext) -> AutomationConfigView:
    """A site's automation settings (the defaults when never saved)."""
    return await handlers.get_config(uow, query.account_id, query.site_id)


@service.on_query(SaveAutomationConfig, read_only=False)
async def on_save_config(request: SaveAutomationConfig, uow: AutomationUnitOfWork,
                         ctx: HandlerContext) -> AutomationConfigView | QueryResult:
    """Replaces a site's settings (400 with field errors for a bad schedule or time zone)."""
    return await handlers.save_config(uow, request.account_id, request.site_id,
                                      request.settings, _now())


# ------------------------------------------------------------------------------ runs


@service.on_query(StartAutomationRun, read_only=False)
async def on_start_run(request: StartAutomationRun, uow: AutomationUnitOfWork,
                       ctx: HandlerContext) -> AutomationRunView | QueryResult:
    """Starts a run for a site now (409 while the site has one going)."""
    return await handlers.start_run_by_hand(uow, request.account_id, request.site_id,
                                            request.started_by, _now())


@service.on_query(ChangeAutomationRun, read_only=False)
async def on_change_run(request: ChangeAutomationRun, uow: AutomationUnitOfWork,
                        ctx: HandlerContext) -> AutomationRunView | QueryResult:
    """Pauses, resumes or cancels a run (409 when its status does not allow it)."""
    return await handlers.change_run(uow, request, _now())


@service.on_query(GetAutomationRun, read_only=True)
async def on_get_run(query: GetAutomationRun, uow: AutomationUnitOfWork,
                     ctx: HandlerContext) -> AutomationRunView | QueryResult:
    """One run with each stage's results and what it produced."""
    return await handlers.get_run(uow, query.account_id, query.run_id, query.visible_site_ids)


@service.on_query(ListAutomationRuns, read_only=True)
async def on_list_runs(query: ListAutomationRuns, uow: AutomationUnitOfWork,
                       ctx: HandlerContext) -> AutomationRunPage:
    """Runs, newest first."""
    return await handlers.list_runs(uow, query)


# ------------------------------------------------------------------------------ the owners' events


async def on_operation_updated(event: OperationUpdate, uow: AutomationUnitOfWork,
                               ctx: HandlerContext) -> None:
    """An operation a run started is over: count it, and move the run on."""
    await pipeline.operation_finished(uow, event, _now())


for _event_type in (PlannerOperationUpdated, WriterOperationUpdated, PublisherOperationUpdated):
    service.on_event(_event_type, f"runs-{_event_type.owner()}-operations")(on_operation_updated)


@service.on_event(ContentApproved, "runs-content-approved")
async def on_content_approved(event: ContentApproved, uow: AutomationUnitOfWork,
                              ctx: HandlerContext) -> None:
    """A person approved an article a run waits for at its review gate."""
    await pipeline.content_approved(uow, event.account_id, event.site_id,
                                    event.content_id, _now())


@service.on_event(SiteDeleted, "site-deleted")
async def on_site_deleted(event: SiteDeleted, uow: AutomationUnitOfWork,
                          ctx: HandlerContext) -> None:
    """A deleted site: its settings go, its active run is cancelled."""
    await handlers.forget_site(uow, event.account_id, event.site_id, _now())
