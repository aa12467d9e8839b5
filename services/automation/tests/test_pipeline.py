"""The process manager with in-memory owners: which commands each stage sends (with their credit
holds), what the owners' answers do to the run, and that a repeated update changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from igny8_automation.service_layer import handlers, pipeline
from igny8_contracts.automation import AutomationRunFinished, AutomationSettings
from igny8_contracts.operations import (
    AutomationOperationUpdated,
    OperationUpdate,
    PlannerOperationUpdated,
    WriterOperationUpdated,
)
from igny8_contracts.planner import AutoClusterKeywords, GenerateIdeas
from igny8_contracts.writer import GenerateContent
from igny8_contracts.writer_images import GenerateImages
from services.automation.tests.fakes import NOW, FakeAutomationUnitOfWork, FakeOwners

ACCOUNT = uuid.uuid4()
SITE = uuid.uuid4()
SECTORS = sorted([uuid.uuid4(), uuid.uuid4()])


def commands(uow: FakeAutomationUnitOfWork, kind: type[Any]) -> list[Any]:
    return [m for m in uow.committed_events if isinstance(m, kind)]


def final(kind: type[OperationUpdate], operation_id: uuid.UUID, state: str = "succeeded",
          result: dict[str, Any] | None = None, error: str | None = None) -> OperationUpdate:
    return kind(operation_id=operation_id, account_id=ACCOUNT, site_id=SITE,
                operation_type="planner.keywords.auto_cluster", state=state, phase="DONE",
                percent=100, result=result, error=error, sequence=1)


async def started(uow: FakeAutomationUnitOfWork, **settings: Any) -> uuid.UUID:
    uow.configs.rows[SITE] = (AutomationSettings(**settings), None)  # type: ignore[attr-defined]
    async with uow:
        run = await handlers.start_run(uow, ACCOUNT, SITE, "manual", None, NOW)
        await uow.commit()
    assert run is not None
    return run.id


async def step(uow: FakeAutomationUnitOfWork, owners: FakeOwners, seconds: float = 0) -> bool:
    async with uow:
        return await handlers.step_due_run(uow, owners, NOW + timedelta(seconds=seconds))


async def tell(uow: FakeAutomationUnitOfWork, update: OperationUpdate) -> None:
    async with uow:
        await pipeline.operation_finished(uow, update, NOW)
        await uow.commit()


def run_of(uow: FakeAutomationUnitOfWork, run_id: uuid.UUID) -> Any:
    return uow.runs.runs[run_id]  # type: ignore[attr-defined]


async def test_a_run_goes_through_every_stage_by_the_owners_commands() -> None:
    uow, owners = FakeAutomationUnitOfWork(), FakeOwners(SITE)
    owners.add_keywords(SECTORS[0], ["running shoes", "trail shoes"])
    owners.add_keywords(SECTORS[1], ["yoga mat"])
    run_id = await started(uow, content_limit=2, images_limit=2, auto_approve=False)

    # Clustering: one free command per sector, with the keywords the limit allows.
    assert await step(uow, owners)
    clusters = commands(uow, AutoClusterKeywords)
    assert [c.sector_id for c in clusters] == SECTORS
    assert sum(len(c.keyword_ids or []) for c in clusters) == 3 and owners.holds == []
    assert not await step(uow, owners)  # nothing due while the planner works
    for command in clusters:
        await tell(uow, final(PlannerOperationUpdated, command.operation_id))
    await tell(uow, final(PlannerOperationUpdated, clusters[0].operation_id))  # redelivered
    assert run_of(uow, run_id).stages["cluster"].processed == 3

    # Ideas: credits held under the command's key first.
    owners.clusters = [uuid.uuid4(), uuid.uuid4(), uuid.uuid4()]
    assert await step(uow, owners)
    [ideas] = commands(uow, GenerateIdeas)
    assert [h.key for h in owners.holds] == [ideas.reservation_key]
    idea_ids = [uuid.uuid4() for _ in range(3)]
    await tell(uow, final(PlannerOperationUpdated, ideas.operation_id,
                          result={"clusters": 3, "idea_ids": [str(i) for i in idea_ids]}))

    # Queue: two of the run's ideas (the content limit); the writer makes their tasks later.
    assert await step(uow, owners)
    assert owners.queued == [idea_ids[:2]]
    assert run_of(uow, run_id).stage == "queue"
    owners.make_tasks(idea_ids[:2], SECTORS[0])
    assert await step(uow, owners, seconds=2)

    # Articles: one hold per task, then the command.
    [content] = commands(uow, GenerateContent)
    assert len(content.tasks) == 2
    assert {h.key for h in owners.holds} >= {t.reservation_key for t in content.tasks}
    content_ids = [uuid.uuid4(), uuid.uuid4()]
    for task, content_id in zip(content.tasks, content_ids, strict=True):
        owners.contents[content_id] = {"task_id": task.task_id, "status": "draft"}
    await tell(uow, final(WriterOperationUpdated, content.operation_id, result={
        "generated": 2, "failed": 0, "content_ids": [str(c) for c in content_ids]}))

    # Images, then the review gate: the drafts go up for review and the run waits for people.
    assert await step(uow, owners)
    [images] = commands(uow, GenerateImages)
    assert len(images.tasks) == 2
    await tell(uow, final(WriterOperationUpdated, images.operation_id,
                          result={"succeeded": 2, "failed_count": 0}))
    assert await step(uow, owners)
    run = run_of(uow, run_id)
    assert run.stage == "review" and sorted(run.current.awaiting) == sorted(content_ids)
    assert owners.moves == [(c, "review") for c in content_ids]
    assert not await step(uow, owners, seconds=7200)  # waiting for people is not due

    for content_id in content_ids:
        async with uow:
            await pipeline.content_approved(uow, ACCOUNT, SITE, content_id, NOW)
            await uow.commit()
    assert await step(uow, owners)  # publishing is off: skipped, the run completes
    run = run_of(uow, run_id)
    assert run.status == "completed" and run.stages["publish"].state == "skipped"
    assert sorted(run.items_of("content")) == sorted(content_ids)
    assert len(commands(uow, AutomationRunFinished)) == 1
    updates = commands(uow, AutomationOperationUpdated)
    assert updates[-1].state == "succeeded" and updates[-1].operation_id == run_id


async def test_a_402_pauses_for_credits_and_resuming_uses_new_ids() -> None:
    uow, owners = FakeAutomationUnitOfWork(), FakeOwners(SITE)
    owners.clusters = [uuid.uuid4()]
    owners.credits = 0
    run_id = await started(uow)
    assert await step(uow, owners)  # no keywords: clustering skipped, ideas refused
    run = run_of(uow, run_id)
    assert run.status == "paused" and run.pause_reason == "credits" and run.stage == "ideas"
    assert run.pause_details["available"] == ["0"]
    assert commands(uow, GenerateIdeas) == []

    owners.credits = None
    async with uow:
        from igny8_contracts.automation import ChangeAutomationRun
        await handlers.change_run(uow, ChangeAutomationRun(
            account_id=ACCOUNT, run_id=run_id, action="resume"), NOW)
    assert await step(uow, owners)
    [ideas] = commands(uow, GenerateIdeas)
    assert run_of(uow, run_id).attempt == 1
    assert ideas.operation_id != pipeline.operation_id_for(run_id, "ideas", 0)


async def test_failed_items_fail_the_run_only_with_stop_on_error() -> None:
    for stop in (True, False):
        uow, owners = FakeAutomationUnitOfWork(), FakeOwners(SITE)
        owners.add_keywords(SECTORS[0], ["a", "b"])
        run_id = await started(uow, stop_on_error=stop)
        await step(uow, owners)
        [cluster] = commands(uow, AutoClusterKeywords)
        await tell(uow, final(PlannerOperationUpdated, cluster.operation_id, state="failed",
                              error="dead-lettered: boom"))
        run = run_of(uow, run_id)
        if stop:
            assert run.status == "failed" and "cluster stage failed for 2 of 2" in run.error
            assert commands(uow, AutomationRunFinished)[0].status == "failed"
        else:
            assert run.status == "running" and run.stage == "ideas"
            assert run.stages["cluster"].failed == 2
            assert "boom" in run.stages["cluster"].message


async def test_one_active_run_per_site_and_the_maximum_run_time() -> None:
    uow, owners = FakeAutomationUnitOfWork(), FakeOwners(SITE)
    owners.add_keywords(SECTORS[0], ["a"])
    run_id = await started(uow, max_run_minutes=1)
    async with uow:
        assert await handlers.start_run(uow, ACCOUNT, SITE, "manual", None, NOW) is None
    await step(uow, owners)  # clustering sent; the planner never answers
    assert await step(uow, owners, seconds=61)
    run = run_of(uow, run_id)
    assert run.status == "failed" and "maximum run time" in run.error


async def test_auto_approve_and_auto_publish_within_the_publish_limit() -> None:
    from igny8_contracts.operations import PublisherOperationUpdated
    from igny8_contracts.publisher import IntegrationView, PublishContent

    uow, owners = FakeAutomationUnitOfWork(), FakeOwners(SITE)
    owners.integration_view = IntegrationView.model_construct(
        id=uuid.uuid4(), is_active=True, publish_status="publish")
    run_id = await started(uow, auto_approve=True, auto_publish=True, publish_limit=2)
    run = run_of(uow, run_id)
    while run.stage != "review":  # nothing to plan or write: straight to the gate
        run.skip_stage(NOW, "")
    contents = [uuid.uuid4() for _ in range(3)]
    run.add_items("content", contents)
    for content_id in contents:
        owners.contents[content_id] = {"task_id": uuid.uuid4(), "status": "draft"}
    await uow.runs.save(run)

    assert await step(uow, owners)  # approved (draft → review → approved), then published
    assert [s for _, s in owners.moves] == ["review", "approved"] * 3
    [publish] = commands(uow, PublishContent)
    assert publish.content_ids == contents[:2] and publish.status == "publish"
    await tell(uow, final(PublisherOperationUpdated, publish.operation_id, result={
        "published": 2, "failed": 0,
        "articles": [{"content_id": str(c), "ok": True} for c in contents[:2]]}))
    run = run_of(uow, run_id)
    assert run.status == "completed" and run.stages["publish"].processed == 2
    assert run.items_of("post") == contents[:2]
