"""In-memory stand-ins for unit tests of the process manager: the unit of work with its
repositories, and the owners (planner, writer, publisher, billing) answering from dicts."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from igny8_automation.adapters.owners import CreditsShort, Hold, Owners
from igny8_automation.domain.runs import Run
from igny8_automation.service_layer.uow import AutomationUnitOfWork
from igny8_contracts.automation import AutomationSettings
from igny8_contracts.planner import KeywordView, QueuedIdeas
from igny8_contracts.publisher import IntegrationView
from igny8_contracts.writer import ContentView, TaskRef
from igny8_contracts.writer_images import ImageTaskRef
from igny8_devtools.fake_uow import FakeUnitOfWork

NOW = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


class FakeConfigs:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, tuple[AutomationSettings, datetime | None]] = {}

    async def get(self, account_id: uuid.UUID, site_id: uuid.UUID
                  ) -> tuple[AutomationSettings, datetime | None, datetime | None] | None:
        found = self.rows.get(site_id)
        return None if found is None else (found[0], found[1], NOW)


class FakeRuns:
    def __init__(self) -> None:
        self.runs: dict[uuid.UUID, Run] = {}
        self.operations: dict[uuid.UUID, uuid.UUID] = {}

    async def add(self, run: Run) -> bool:
        if any(r.site_id == run.site_id and r.is_active for r in self.runs.values()):
            return False
        self.runs[run.id] = copy.deepcopy(run)
        return True

    async def save(self, run: Run) -> None:
        self.runs[run.id] = copy.deepcopy(run)

    async def get(self, account_id: uuid.UUID, run_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None = None, *,
                  lock: bool = False) -> Run | None:
        run = self.runs.get(run_id)
        if run is None or run.account_id != account_id:
            return None
        return copy.deepcopy(run)

    async def record_operations(self, run: Run, operation_ids: Sequence[uuid.UUID]) -> None:
        for operation_id in operation_ids:
            self.operations[operation_id] = run.id

    async def for_operation(self, account_id: uuid.UUID, operation_id: uuid.UUID) -> Run | None:
        run_id = self.operations.get(operation_id)
        return None if run_id is None else await self.get(account_id, run_id)

    async def awaiting_approval(self, account_id: uuid.UUID, site_id: uuid.UUID,
                                content_id: uuid.UUID) -> Run | None:
        for run in self.runs.values():
            if (run.site_id == site_id and run.stage == "review" and run.is_active
                    and content_id in run.current.awaiting):
                return copy.deepcopy(run)
        return None

    async def claim_due(self, now: datetime) -> Run | None:
        for run in self.runs.values():
            if run.status == "running" and (
                    (run.next_action_at is not None and run.next_action_at <= now)
                    or (run.deadline_at is not None and run.deadline_at <= now
                        and run.stage != "review")):
                return copy.deepcopy(run)
        return None


class FakeAutomationUnitOfWork(FakeUnitOfWork, AutomationUnitOfWork):
    def __init__(self) -> None:
        super().__init__("automation")
        self.configs = FakeConfigs()  # type: ignore[assignment]
        self.runs = FakeRuns()  # type: ignore[assignment]


def _keyword(site_id: uuid.UUID, sector_id: uuid.UUID, word: str) -> KeywordView:
    return KeywordView(id=uuid.uuid4(), site_id=site_id, sector_id=sector_id, keyword=word,
                       volume=100, difficulty=None, cpc=None, intent=None, status="pending",
                       cluster_id=None, source="manual", created_at=NOW, updated_at=NOW)


class FakeOwners(Owners):
    """The owners' answers, from what a test puts here; every request is recorded."""

    def __init__(self, site_id: uuid.UUID) -> None:
        self.site_id = site_id
        self.keywords: list[KeywordView] = []
        self.clusters: list[uuid.UUID] = []
        self.tasks_by_idea: dict[uuid.UUID, uuid.UUID] = {}
        self.task_refs: dict[uuid.UUID, TaskRef] = {}
        self.contents: dict[uuid.UUID, dict[str, Any]] = {}  # content id → task id, status
        self.integration_view: IntegrationView | None = None
        self.credits: int | None = None  # None: unlimited
        self.holds: list[Hold] = []
        self.queued: list[list[uuid.UUID]] = []
        self.moves: list[tuple[uuid.UUID, str]] = []

    def add_keywords(self, sector_id: uuid.UUID, words: list[str]) -> None:
        self.keywords += [_keyword(self.site_id, sector_id, w) for w in words]

    async def pending_keywords(self, account_id: uuid.UUID, site_id: uuid.UUID,
                               limit: int) -> list[KeywordView]:
        return self.keywords[:limit]

    async def clusters_without_ideas(self, account_id: uuid.UUID, site_id: uuid.UUID,
                                     limit: int) -> list[uuid.UUID]:
        return self.clusters[:limit]

    async def queue_ideas(self, account_id: uuid.UUID, idea_ids: list[uuid.UUID]) -> QueuedIdeas:
        self.queued.append(list(idea_ids))
        return QueuedIdeas(queued=idea_ids, skipped=[])

    async def tasks_of_ideas(self, account_id: uuid.UUID, site_id: uuid.UUID,
                             idea_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        return {i: self.tasks_by_idea[i] for i in idea_ids if i in self.tasks_by_idea}

    def make_tasks(self, idea_ids: list[uuid.UUID], sector_id: uuid.UUID) -> None:
        for idea_id in idea_ids:
            task = TaskRef(id=uuid.uuid4(), site_id=self.site_id, sector_id=sector_id,
                           word_count=1000, status="queued")
            self.tasks_by_idea[idea_id] = task.id
            self.task_refs[task.id] = task

    async def tasks(self, account_id: uuid.UUID, task_ids: list[uuid.UUID]) -> list[TaskRef]:
        return [self.task_refs[t] for t in task_ids if t in self.task_refs]

    async def image_tasks(self, account_id: uuid.UUID,
                          task_ids: list[uuid.UUID]) -> list[ImageTaskRef]:
        content_of = {c["task_id"]: cid for cid, c in self.contents.items()}
        return [ImageTaskRef(task_id=t, site_id=self.site_id,
                             sector_id=self.task_refs[t].sector_id,
                             content_id=content_of.get(t)) for t in task_ids]

    async def content(self, account_id: uuid.UUID, content_id: uuid.UUID) -> ContentView | None:
        found = self.contents.get(content_id)
        if found is None:
            return None
        return ContentView.model_construct(id=content_id, status=found["status"])

    async def move_content(self, account_id: uuid.UUID, content_id: uuid.UUID,
                           status: str) -> ContentView:
        self.moves.append((content_id, status))
        self.contents[content_id]["status"] = status
        return ContentView.model_construct(id=content_id, status=status)

    async def integration(self, account_id: uuid.UUID,
                          site_id: uuid.UUID) -> IntegrationView | None:
        return self.integration_view

    async def reserve(self, account_id: uuid.UUID, holds: list[Hold]) -> None:
        cost = sum(h.quantity for h in holds)
        if self.credits is not None and cost > self.credits:
            raise CreditsShort("Not enough credits.", {"available": [str(self.credits)],
                                                       "cost": [str(cost)]})
        self.holds += holds

    async def release(self, account_id: uuid.UUID, keys: list[str]) -> None:
        return None
