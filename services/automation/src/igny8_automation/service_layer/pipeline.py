"""The process manager: moves a run through its stages by the owners' own commands and requests.

``drive`` takes a run (locked by the caller's unit of work) as far as it can go now: it starts
the current stage's work, skips a stage with nothing to do, notices a stage whose work is over,
fails a run past its maximum run time, and reports the run's progress as an operation. The
owners' commands go through the outbox, so they are sent if and only if the run's new state
commits; credits are held with billing first, under keys derived from the run (a handler run
again after a crash holds the same reservation and sends the same operation id, which the owner
recognises). ``operation_finished`` and ``content_approved`` are what the owners' events tell.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from igny8_automation.adapters.owners import CreditsShort, Hold, Owners
from igny8_automation.domain.runs import (
    TASKS_WAIT_SECONDS,
    Run,
    operation_id_for,
)
from igny8_automation.service_layer.uow import AutomationUnitOfWork
from igny8_contracts import pricing
from igny8_contracts.automation import STAGES, AutomationRunFinished
from igny8_contracts.operations import OperationUpdate
from igny8_contracts.planner import AutoClusterKeywords, GenerateIdeas
from igny8_contracts.publisher import PublishContent
from igny8_contracts.writer import GenerateContent, TaskReservation
from igny8_contracts.writer_images import (
    GenerateImages,
    ImageTaskReservation,
    image_reservation_keys,
)
from igny8_runtime.logging import get_logger
from igny8_runtime.operations import OperationReporter
from igny8_runtime.rpc import Refused

log = get_logger(__name__)

RUN_OPERATION = "automation.run"
IDEAS_PER_CLUSTER = 1
RECHECK_SECONDS = 1.0


def reporter_for(run: Run) -> OperationReporter:
    return OperationReporter(run.id, run.account_id, RUN_OPERATION, site_id=run.site_id)


def _fingerprint(run: Run) -> tuple[Any, ...]:
    progress = run.current if run.stage != "done" else None
    return (run.status, run.stage, progress and (progress.state, progress.processed,
                                                 progress.failed, len(progress.awaiting)))


async def drive(uow: AutomationUnitOfWork, owners: Owners | None, run: Run, now: datetime, *,
                changed: bool = False) -> None:
    """Move ``run`` on as far as it can go now, save it, and report what changed. Without
    ``owners`` (in an event handler) nothing is asked of the owners: a stage that is over is
    closed, and the sweeper starts the next one."""
    before = _fingerprint(run)
    for _ in range(2 * len(STAGES)):
        if run.status != "running":
            break
        if run.timed_out(now):
            run.fail(f"The run went past its maximum run time "
                     f"({run.settings.max_run_minutes} minutes).", now)
            break
        progress = run.current
        if run.next_action_at is not None and run.next_action_at > now:
            break
        if progress.state == "waiting":
            if owners is None:
                break
            await _dispatch(uow, owners, run, now)
            continue
        if run.stage == "queue" and progress.awaiting:
            if owners is None:
                break
            await _collect_tasks(owners, run, now)
        if run.stage_settled:
            run.finish_stage(now)
            continue
        break
    await uow.runs.save(run)
    if changed or _fingerprint(run) != before:
        report(uow, run)


def report(uow: AutomationUnitOfWork, run: Run) -> None:
    """The run's state as an operation update (its id is the run's), and its end as an event."""
    reporter = reporter_for(run)
    progress = run.current if run.stage != "done" else None
    if run.status == "completed":
        reporter.succeed(uow, {"run_id": str(run.id), "stages": {
            s.stage: {"state": s.state, "processed": s.processed, "failed": s.failed}
            for s in run.stage_results()}}, message="Automation run completed.")
    elif run.status == "failed":
        reporter.phase, reporter.percent = run.stage.upper(), run.percent()
        reporter.fail(uow, run.error or "The run failed.")
    elif run.status == "cancelled":
        reporter.phase, reporter.percent = run.stage.upper(), run.percent()
        reporter.cancel(uow, message="Automation run cancelled.")
    elif run.status == "paused":
        reason = run.pause_reason or "manual"
        reporter.update(uow, phase="PAUSED", percent=run.percent(),
                        message=f"Paused ({reason}) at the {run.stage} stage.")
    else:
        detail = ""
        if progress is not None:
            detail = (f"{progress.processed}/{progress.total}"
                      + (f", {progress.failed} failed" if progress.failed else "")
                      + (f". {progress.message}" if progress.message else ""))
        reporter.update(uow, phase=run.stage.upper(), percent=run.percent(),
                        message=f"Stage {run.stage}: {detail}"[:1000])
    if run.status in ("completed", "failed", "cancelled"):
        uow.emit(AutomationRunFinished(account_id=run.account_id, site_id=run.site_id,
                                       run_id=run.id, status=run.status, error=run.error),
                 account_id=run.account_id)


# ------------------------------------------------------------------------------ stages


async def _dispatch(uow: AutomationUnitOfWork, owners: Owners, run: Run, now: datetime) -> None:
    """Start the current stage's work (or skip it, or pause the run for credits)."""
    starters = {"cluster": _cluster, "ideas": _ideas, "queue": _queue,
                "articles": _articles, "images": _images, "review": _review,
                "publish": _publish}
    try:
        await starters[run.stage](uow, owners, run, now)
    except CreditsShort as short:
        run.pause("credits", {"stage": run.stage, "message": short.message, **short.details})


async def _start(uow: AutomationUnitOfWork, run: Run, now: datetime, *,
                 operations: dict[uuid.UUID, int], total: int, message: str = "") -> None:
    await uow.runs.record_operations(run, list(operations))
    run.begin_stage(now, total=total, operations=operations, message=message)


async def _cluster(uow: AutomationUnitOfWork, owners: Owners, run: Run, now: datetime) -> None:
    limit = run.settings.cluster_limit
    if limit == 0:
        run.skip_stage(now, "Clustering is off (limit 0).")
        return
    keywords = await owners.pending_keywords(run.account_id, run.site_id, limit)
    if not keywords:
        run.skip_stage(now, "No new keywords to cluster.")
        return
    by_sector: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for keyword in keywords:
        by_sector[keyword.sector_id].append(keyword.id)
    operations: dict[uuid.UUID, int] = {}
    for sector_id, keyword_ids in sorted(by_sector.items()):
        operation_id = operation_id_for(run.id, "cluster", run.attempt, str(sector_id))
        uow.emit(AutoClusterKeywords(operation_id=operation_id, account_id=run.account_id,
                                     site_id=run.site_id, sector_id=sector_id,
                                     keyword_ids=keyword_ids, method="local"),
                 account_id=run.account_id)
        operations[operation_id] = len(keyword_ids)
    run.add_items("keyword", [k.id for k in keywords])
    await _start(uow, run, now, operations=operations, total=len(keywords),
                 message=f"Clustering {len(keywords)} keywords.")


async def _ideas(uow: AutomationUnitOfWork, owners: Owners, run: Run, now: datetime) -> None:
    limit = run.settings.ideas_limit
    clusters = await owners.clusters_without_ideas(run.account_id, run.site_id, limit) \
        if limit else []
    if not clusters:
        run.skip_stage(now, "No cluster without ideas." if limit else "Ideas are off (limit 0).")
        return
    operation_id = operation_id_for(run.id, "ideas", run.attempt)
    key = str(operation_id)
    await owners.reserve(run.account_id, [Hold(key, pricing.IDEAS, pricing.ideas_to_reserve(
        len(clusters), IDEAS_PER_CLUSTER))])
    uow.emit(GenerateIdeas(operation_id=operation_id, account_id=run.account_id,
                           cluster_ids=clusters, ideas_per_cluster=IDEAS_PER_CLUSTER,
                           reservation_key=key), account_id=run.account_id)
    await _start(uow, run, now, operations={operation_id: len(clusters)}, total=len(clusters),
                 message=f"Generating ideas for {len(clusters)} clusters.")


async def _queue(uow: AutomationUnitOfWork, owners: Owners, run: Run, now: datetime) -> None:
    # The run's own ideas, in the order they came: the same choice if this runs again.
    ideas = run.items_of("idea")[:run.settings.content_limit]
    if not ideas:
        run.skip_stage(now, "No new ideas to queue.")
        return
    await owners.queue_ideas(run.account_id, ideas)  # an idea queued before is left as it is
    run.begin_stage(now, total=len(ideas), operations={}, awaiting=ideas,
                    message="Waiting for the writer's tasks.")
    await _collect_tasks(owners, run, now)


async def _collect_tasks(owners: Owners, run: Run, now: datetime) -> None:
    """The queue stage: the writer creates a task per queued idea (from IdeasQueued); note
    the tasks that exist, and give up on the others after ``TASKS_WAIT_SECONDS``."""
    progress = run.current
    found = await owners.tasks_of_ideas(run.account_id, run.site_id, progress.awaiting)
    run.add_items("task", list(found.values()))
    progress.awaiting = [i for i in progress.awaiting if i not in found]
    progress.processed = progress.total - len(progress.awaiting)
    if not progress.awaiting:
        progress.message = f"{progress.processed} ideas queued as writer tasks."
        return
    if progress.since is not None and now - progress.since > timedelta(seconds=TASKS_WAIT_SECONDS):
        progress.failed = len(progress.awaiting)
        progress.message = f"The writer made no task for {progress.failed} queued ideas."
        progress.awaiting = []
        return
    run.wait(now + timedelta(seconds=RECHECK_SECONDS))


async def _articles(uow: AutomationUnitOfWork, owners: Owners, run: Run, now: datetime) -> None:
    task_ids = run.items_of("task")[:run.settings.content_limit]
    tasks = [t for t in await owners.tasks(run.account_id, task_ids)
             if t.status in ("queued", "failed")]  # not written yet, nor being written
    if not tasks:
        run.skip_stage(now, "No task to write.")
        return
    operation_id = operation_id_for(run.id, "articles", run.attempt)
    held = [TaskReservation(task_id=t.id, reservation_key=f"{operation_id}:{t.id}",
                            max_words=pricing.content_words_to_reserve(t.word_count))
            for t in tasks]
    await owners.reserve(run.account_id, [Hold(r.reservation_key, pricing.CONTENT, r.max_words)
                                          for r in held])
    uow.emit(GenerateContent(operation_id=operation_id, account_id=run.account_id, tasks=held),
             account_id=run.account_id)
    await _start(uow, run, now, operations={operation_id: len(held)}, total=len(held),
                 message=f"Writing {len(held)} articles.")


async def _images(uow: AutomationUnitOfWork, owners: Owners, run: Run, now: datetime) -> None:
    limit = run.settings.images_limit
    refs = [r for r in await owners.image_tasks(run.account_id, run.items_of("task"))
            if r.content_id is not None][:limit]
    run.add_items("content", [r.content_id for r in refs if r.content_id is not None])
    if not refs:
        run.skip_stage(now, "No article to illustrate." if limit else "Images are off (limit 0).")
        return
    operation_id = operation_id_for(run.id, "images", run.attempt)
    images = pricing.images_to_reserve(run.settings.in_article_images)
    reservations: list[ImageTaskReservation] = []
    holds: list[Hold] = []
    for ref in refs:
        prompts_key, images_key = image_reservation_keys(operation_id, ref.task_id)
        reservations.append(ImageTaskReservation(task_id=ref.task_id, prompts_key=prompts_key,
                                                 images_key=images_key, max_images=images))
        holds += [Hold(prompts_key, pricing.IMAGE_PROMPTS, images),
                  Hold(images_key, pricing.IMAGES, images)]
    await owners.reserve(run.account_id, holds)
    uow.emit(GenerateImages(operation_id=operation_id, account_id=run.account_id,
                            tasks=reservations, in_article_count=run.settings.in_article_images),
             account_id=run.account_id)
    await _start(uow, run, now, operations={operation_id: len(refs)}, total=len(refs),
                 message=f"Illustrating {len(refs)} articles.")


async def _review(uow: AutomationUnitOfWork, owners: Owners, run: Run, now: datetime) -> None:
    """The review gate: approve the run's articles (auto-approve), or put them up for review
    and wait for a person to approve each (``content_approved``)."""
    contents = run.items_of("content")
    if not contents:
        run.skip_stage(now, "No article to review.")
        return
    approved, failed, awaiting = 0, 0, []
    for content_id in contents:
        try:
            status = await _towards_approval(owners, run, content_id)
        except Refused as refused:
            log.warning("review step refused", content_id=str(content_id), status=refused.status,
                        reason=refused.message)
            failed += 1
            continue
        if status in ("approved", "published", "scheduled"):
            approved += 1
        elif status == "review":
            awaiting.append(content_id)
        else:
            failed += 1  # deleted or archived meanwhile
    run.begin_stage(now, total=len(contents), operations={}, awaiting=awaiting,
                    message=(f"Waiting for a person to approve {len(awaiting)} articles."
                             if awaiting else "Articles approved."))
    run.current.processed, run.current.failed = approved, failed


async def _towards_approval(owners: Owners, run: Run, content_id: uuid.UUID) -> str:
    """Moves one article draft → review (→ approved with auto-approve); its status after."""
    content = await owners.content(run.account_id, content_id)
    if content is None:
        return "missing"
    status: str = content.status
    if status == "draft":
        status = (await owners.move_content(run.account_id, content_id, "review")).status
    if status == "review" and run.settings.auto_approve:
        status = (await owners.move_content(run.account_id, content_id, "approved")).status
    return status


async def _publish(uow: AutomationUnitOfWork, owners: Owners, run: Run, now: datetime) -> None:
    if not run.settings.auto_publish:
        run.skip_stage(now, "Auto-publish is off: approved articles wait to be published by hand.")
        return
    if run.settings.publish_limit == 0:
        run.skip_stage(now, "Publishing is off (limit 0).")
        return
    integration = await owners.integration(run.account_id, run.site_id)
    if integration is None:
        run.skip_stage(now, "The site has no active WordPress integration.")
        return
    ready: list[uuid.UUID] = []
    for content_id in run.items_of("content"):
        content = await owners.content(run.account_id, content_id)
        if content is not None and content.status == "approved":
            ready.append(content_id)
        if len(ready) == run.settings.publish_limit:
            break
    if not ready:
        run.skip_stage(now, "No approved article to publish.")
        return
    operation_id = operation_id_for(run.id, "publish", run.attempt)
    uow.emit(PublishContent(operation_id=operation_id, account_id=run.account_id,
                            integration_id=integration.id, content_ids=ready,
                            status="draft" if integration.publish_status == "draft"
                            else "publish"), account_id=run.account_id)
    await _start(uow, run, now, operations={operation_id: len(ready)}, total=len(ready),
                 message=f"Publishing {len(ready)} articles.")


# ------------------------------------------------------------------------------ what owners tell


def outcome(stage: str, update: OperationUpdate, took: int
            ) -> tuple[int, int | None, list[tuple[str, list[uuid.UUID]]]]:
    """What a finished operation of ``stage`` did: processed, failed (None: the rest of what
    it took on), and the items it produced (kind, ids)."""
    if update.state != "succeeded":
        return 0, None, []
    result = update.result or {}

    def ids(key: str) -> list[uuid.UUID]:
        return [uuid.UUID(str(i)) for i in result.get(key, [])]

    if stage == "ideas":
        return int(result.get("clusters", took)), 0, [("idea", ids("idea_ids"))]
    if stage == "articles":
        return (int(result.get("generated", took)), int(result.get("failed", 0)),
                [("content", ids("content_ids"))])
    if stage == "images":
        return int(result.get("succeeded", took)), int(result.get("failed_count", 0)), []
    if stage == "publish":
        posted = [uuid.UUID(a["content_id"]) for a in result.get("articles", []) if a.get("ok")]
        return int(result.get("published", took)), int(result.get("failed", 0)), [
            ("post", posted)]
    return took, 0, []


async def operation_finished(uow: AutomationUnitOfWork, update: OperationUpdate,
                             now: datetime) -> None:
    """An owner finished an operation: if a run started it, count it and move the run on."""
    if not update.is_final:
        return
    run = await uow.runs.for_operation(update.account_id, update.operation_id)
    if run is None or not run.is_active or update.operation_id not in run.current.pending:
        return
    took = run.current.pending[update.operation_id]
    processed, failed, items = outcome(run.stage, update, took)
    run.operation_finished(update.operation_id, processed=processed, failed=failed)
    for kind, ids in items:
        run.add_items(kind, ids)  # type: ignore[arg-type]
    if update.state != "succeeded":
        run.current.message = (update.error or update.message)[:500]
    await drive(uow, None, run, now, changed=True)


async def content_approved(uow: AutomationUnitOfWork, account_id: uuid.UUID,
                           site_id: uuid.UUID, content_id: uuid.UUID, now: datetime) -> None:
    """A person approved an article a run waits for at its review gate."""
    run = await uow.runs.awaiting_approval(account_id, site_id, content_id)
    if run is None:
        return
    progress = run.current
    progress.awaiting = [c for c in progress.awaiting if c != content_id]
    progress.processed += 1
    await drive(uow, None, run, now, changed=True)
