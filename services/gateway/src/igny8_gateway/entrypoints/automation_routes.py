"""``/api/v1/automation/``: a site's automation settings (``config/{site_id}/``) and its runs
(``runs/``: start, list, read, pause, resume, cancel). The gateway checks that the site is the
caller's and visible; viewers read, editors run the automation of the sites they were granted,
owners and admins configure it. The automation service owns settings and runs; a run's id is
also its operation id (``/api/v1/operations/{id}/`` and the event stream follow it)."""

from __future__ import annotations

import uuid

from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_contracts.automation import (
    AutomationConfigView,
    AutomationRunView,
    AutomationSettings,
    ChangeAutomationRun,
    GetAutomationConfig,
    GetAutomationRun,
    ListAutomationRuns,
    RunAction,
    RunStatus,
    SaveAutomationConfig,
    StartAutomationRun,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_manage_sites, ensure_can_write_content
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import ActorBus, CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_gateway.service_layer import operations
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.http import runtime_of
from igny8_runtime.responses import Listing, Ok, ok, paginated

config_router = api_router("/api/v1/automation/config", "automation")
runs_router = api_router("/api/v1/automation/runs", "automation")
routers = (config_router, runs_router)

RUN_OPERATION = "automation.run"


class AutomationSettingsBody(AutomationSettings, Body):
    """Every setting of a site's automation (a field left out takes its default)."""


class StartRunBody(Body):
    site_id: uuid.UUID


# ------------------------------------------------------------------------------ settings


@config_router.get("/{site_id}/", response_model=Ok[AutomationConfigView],
                   summary="A site's automation settings and its next scheduled run")
async def get_automation_config(request: Request, actor: CurrentActor, bus: ActorBus,
                                site_id: uuid.UUID) -> JSONResponse:
    await scope_of(request, actor, site_id=site_id)
    return ok(await bus.ask(GetAutomationConfig(account_id=actor.account_id, site_id=site_id)))


@config_router.put("/{site_id}/", response_model=Ok[AutomationConfigView],
                   summary="Replace a site's automation settings (owners and admins); an invalid "
                           "schedule or time zone is a 400 with field errors")
async def save_automation_config(request: Request, actor: CurrentActor, bus: ActorBus,
                                 site_id: uuid.UUID, body: AutomationSettingsBody) -> JSONResponse:
    await scope_of(request, actor, site_id=site_id)
    ensure_can_manage_sites(actor)
    settings = AutomationSettings.model_validate(body.model_dump())
    saved = await bus.ask(SaveAutomationConfig(account_id=actor.account_id, site_id=site_id,
                                               settings=settings))
    return ok(saved, "Automation settings saved.")


# ------------------------------------------------------------------------------ runs


@runs_router.get("/", response_model=Listing[AutomationRunView],
                 summary="Automation runs, newest first; filter by site and status")
async def list_automation_runs(request: Request, actor: CurrentActor, bus: ActorBus,
                               page: Paging, site_id: uuid.UUID | None = None,
                               status: RunStatus | None = None) -> JSONResponse:
    visible = await scope_of(request, actor, site_id=site_id)
    found = await bus.ask(ListAutomationRuns(
        account_id=actor.account_id, visible_site_ids=visible, site_id=site_id, status=status,
        page=page.number, page_size=page.size))
    return paginated(request, found.results, found.count, page.number, page.size)


@runs_router.post("/", status_code=201, response_model=Ok[AutomationRunView],
                  summary="Start a site's automation run now (409 while one is going). The run "
                          "id is its operation id")
async def start_automation_run(request: Request, actor: CurrentActor, bus: ActorBus,
                               body: StartRunBody) -> JSONResponse:
    await scope_of(request, actor, site_id=body.site_id)
    ensure_can_write_content(actor)
    run = await bus.ask(StartAutomationRun(account_id=actor.account_id, site_id=body.site_id,
                                           started_by=actor.user_id))
    uow: GatewayUnitOfWork = runtime_of(request).uow()
    await operations.record_accepted(uow, operation_id=run.id, account_id=actor.account_id,
                                     kind=RUN_OPERATION, site_id=run.site_id,
                                     requested_by=actor.user_id, message="Automation run started.")
    return ok(run, "Automation run started.", status_code=201)


@runs_router.get("/{run_id}/", response_model=Ok[AutomationRunView],
                 summary="One run: each stage's results and the items it produced")
async def get_automation_run(request: Request, actor: CurrentActor, bus: ActorBus,
                             run_id: uuid.UUID) -> JSONResponse:
    return ok(await bus.ask(GetAutomationRun(account_id=actor.account_id, run_id=run_id,
                                             visible_site_ids=await scope_of(request, actor))))


async def _change(request: Request, actor: Actor, bus: ActorBus, run_id: uuid.UUID,
                  action: RunAction) -> AutomationRunView:
    visible = await scope_of(request, actor)
    await bus.ask(GetAutomationRun(account_id=actor.account_id, run_id=run_id,
                                   visible_site_ids=visible))  # 404 before 403
    ensure_can_write_content(actor)
    return await bus.ask(ChangeAutomationRun(account_id=actor.account_id, run_id=run_id,
                                             action=action, visible_site_ids=visible))


@runs_router.post("/{run_id}/pause/", response_model=Ok[AutomationRunView],
                  summary="Pause a run (the stage's work under way finishes; nothing new starts)")
async def pause_automation_run(request: Request, actor: CurrentActor, bus: ActorBus,
                               run_id: uuid.UUID) -> JSONResponse:
    return ok(await _change(request, actor, bus, run_id, "pause"), "Run paused.")


@runs_router.post("/{run_id}/resume/", response_model=Ok[AutomationRunView],
                  summary="Resume a paused run (after a pause for credits: once they are there)")
async def resume_automation_run(request: Request, actor: CurrentActor, bus: ActorBus,
                                run_id: uuid.UUID) -> JSONResponse:
    return ok(await _change(request, actor, bus, run_id, "resume"), "Run resumed.")


@runs_router.post("/{run_id}/cancel/", response_model=Ok[AutomationRunView],
                  summary="Cancel a run")
async def cancel_automation_run(request: Request, actor: CurrentActor, bus: ActorBus,
                                run_id: uuid.UUID) -> JSONResponse:
    return ok(await _change(request, actor, bus, run_id, "cancel"), "Run cancelled.")
