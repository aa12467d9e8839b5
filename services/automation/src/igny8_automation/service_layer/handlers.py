"""Settings and runs as people see them (through the gateway), and the schedule tick."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from igny8_automation.adapters.owners import Owners
from igny8_automation.domain.runs import Run, TransitionRefused
from igny8_automation.domain.schedule import next_run_at, settings_errors
from igny8_automation.service_layer.pipeline import drive, report
from igny8_automation.service_layer.uow import AutomationUnitOfWork
from igny8_contracts import QueryResult
from igny8_contracts.automation import (
    AutomationConfigView,
    AutomationRunPage,
    AutomationRunView,
    AutomationSettings,
    ChangeAutomationRun,
    ListAutomationRuns,
    RunTrigger,
)
from igny8_runtime.logging import get_logger
from igny8_runtime.rpc import OwnerUnavailable, Refused

log = get_logger(__name__)
RETRY_SECONDS = 5.0


def config_view(site_id: uuid.UUID, settings: AutomationSettings, next_run: datetime | None,
                updated_at: datetime | None) -> AutomationConfigView:
    return AutomationConfigView(**settings.model_dump(), site_id=site_id,
                                next_run_at=next_run if settings.is_active else None,
                                updated_at=updated_at)


def run_view(run: Run) -> AutomationRunView:
    return AutomationRunView(
        id=run.id, site_id=run.site_id, status=run.status, stage=run.stage, trigger=run.trigger,
        started_by=run.started_by, pause_reason=run.pause_reason,
        pause_details=run.pause_details, error=run.error, stages=run.stage_results(),
        items=run.run_items(), created_at=run.created_at, started_at=run.started_at,
        finished_at=run.finished_at, deadline_at=run.deadline_at)


async def get_config(uow: AutomationUnitOfWork, account_id: uuid.UUID,
                     site_id: uuid.UUID) -> AutomationConfigView:
    found = await uow.configs.get(account_id, site_id)
    if found is None:
        return config_view(site_id, AutomationSettings(), None, None)
    return config_view(site_id, *found)


async def save_config(uow: AutomationUnitOfWork, account_id: uuid.UUID, site_id: uuid.UUID,
                      settings: AutomationSettings, now: datetime
                      ) -> AutomationConfigView | QueryResult:
    errors = settings_errors(settings)
    if errors:
        return QueryResult.failure(400, "Invalid input.", errors)
    next_run = (next_run_at(settings.schedule, settings.timezone, now)
                if settings.is_active and settings.schedule else None)
    updated = await uow.configs.save(account_id, site_id, settings, next_run)
    await uow.commit()
    return config_view(site_id, settings, next_run, updated)


async def start_run(uow: AutomationUnitOfWork, account_id: uuid.UUID, site_id: uuid.UUID,
                    trigger: RunTrigger, started_by: uuid.UUID | None,
                    now: datetime) -> Run | None:
    """A new run for the site with the site's settings as they are now (the sweeper starts
    its first stage at once); None when the site already has an active run (the caller
    commits)."""
    found = await uow.configs.get(account_id, site_id)
    settings = found[0] if found else AutomationSettings()
    run = Run.start(account_id, site_id, settings, trigger, started_by, now)
    if not await uow.runs.add(run):
        return None
    report(uow, run)
    return run


async def start_run_by_hand(uow: AutomationUnitOfWork, account_id: uuid.UUID,
                            site_id: uuid.UUID, started_by: uuid.UUID | None,
                            now: datetime) -> AutomationRunView | QueryResult:
    run = await start_run(uow, account_id, site_id, "manual", started_by, now)
    if run is None:
        return QueryResult.failure(409, "The site already has an automation run in progress.",
                                   {"site_id": ["A run is pending, running or paused."]})
    await uow.commit()
    return run_view(run)


async def change_run(uow: AutomationUnitOfWork, request: ChangeAutomationRun,
                     now: datetime) -> AutomationRunView | QueryResult:
    """Pause, resume or cancel (a resumed run goes on from the sweeper, at once)."""
    run = await uow.runs.get(request.account_id, request.run_id, request.visible_site_ids,
                             lock=True)
    if run is None:
        return QueryResult.failure(404, "Run not found.")
    try:
        if request.action == "pause":
            run.pause("manual")
        elif request.action == "resume":
            run.resume(now)
        else:
            run.cancel(now)
    except TransitionRefused as refused:
        return QueryResult.failure(409, str(refused), {"action": [str(refused)]})
    await uow.runs.save(run)
    report(uow, run)
    await uow.commit()
    return run_view(run)


async def get_run(uow: AutomationUnitOfWork, account_id: uuid.UUID, run_id: uuid.UUID,
                  visible_site_ids: list[uuid.UUID] | None) -> AutomationRunView | QueryResult:
    run = await uow.runs.get(account_id, run_id, visible_site_ids)
    if run is None:
        return QueryResult.failure(404, "Run not found.")
    return run_view(run)


async def list_runs(uow: AutomationUnitOfWork, query: ListAutomationRuns) -> AutomationRunPage:
    found, count = await uow.runs.page(query.account_id, query.visible_site_ids, query.site_id,
                                       query.status, query.page, query.page_size)
    return AutomationRunPage(results=[run_view(r) for r in found], count=count)


# ------------------------------------------------------------------------------ the sweeper


async def step_due_run(uow: AutomationUnitOfWork, owners: Owners, now: datetime) -> bool:
    """Move one due run on (a delay over, a wait to check again, its time up); False when none
    is due. Another replica's runs are skipped, not waited for."""
    run = await uow.runs.claim_due(now)
    if run is None:
        return False
    try:
        await drive(uow, owners, run, now)
    except Exception as exc:
        await uow.rollback()
        await _after_failed_step(uow, run, exc, now)
    await uow.commit()
    return True


async def _after_failed_step(uow: AutomationUnitOfWork, claimed: Run, exc: Exception,
                             now: datetime) -> None:
    """An owner refused the stage's request (a 4xx: the run fails with its reason), or could
    not be reached, or something else went wrong (the run tries again a little later; its
    maximum run time bounds the tries). Nothing of the failed step was kept."""
    run = await uow.runs.get(claimed.account_id, claimed.id, lock=True)
    if run is None or run.status != "running":
        return
    if isinstance(exc, Refused) and 400 <= exc.status < 500:
        run.fail(f"The {run.stage} stage was refused: {exc.message}", now)
        log.warning("automation stage refused", run_id=str(run.id), stage=run.stage,
                    status=exc.status, reason=exc.message)
    else:
        log.warning("automation step failed; trying again", run_id=str(run.id),
                    stage=run.stage, error=repr(exc),
                    unavailable=isinstance(exc, OwnerUnavailable))
        run.wait(now + timedelta(seconds=RETRY_SECONDS))
    await uow.runs.save(run)
    report(uow, run)


async def tick_schedule(uow: AutomationUnitOfWork, now: datetime) -> bool:
    """Start the run of one site whose schedule is due and move its next time on, in one
    transaction (so two replicas start one run per tick); False when none is due. A site whose
    previous run is still going skips this tick."""
    claimed = await uow.configs.claim_due(now)
    if claimed is None:
        return False
    account_id, site_id, settings = claimed
    assert settings.schedule is not None
    await uow.configs.set_next_run(site_id, next_run_at(settings.schedule, settings.timezone, now))
    run = await start_run(uow, account_id, site_id, "schedule", None, now)
    if run is None:
        log.info("scheduled run skipped: the site's previous run is still going",
                 site_id=str(site_id))
    await uow.commit()
    return True


async def forget_site(uow: AutomationUnitOfWork, account_id: uuid.UUID, site_id: uuid.UUID,
                      now: datetime) -> None:
    """A deleted site: its settings go, its active run is cancelled (inside the handler's
    unit of work)."""
    await uow.configs.delete_site(account_id, site_id)
    run = await uow.runs.active_for_site(account_id, site_id)
    if run is not None:
        run.cancel(now)
        run.error = "The site was deleted."
        await uow.runs.save(run)
        report(uow, run)
