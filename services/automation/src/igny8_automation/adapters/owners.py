"""What the automation asks the services that own the data (request/reply over NATS): the
planner's keywords, clusters and ideas, the writer's tasks and content, the publisher's
integration, and billing's credit holds. It never reads their tables."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, NamedTuple, TypeVar

from faststream.nats import NatsBroker
from pydantic import BaseModel

from igny8_contracts import Answered
from igny8_contracts.billing import ReleaseReservation, ReserveCredits
from igny8_contracts.planner import (
    IdeaFilters,
    KeywordFilters,
    KeywordView,
    ListClusters,
    ListIdeas,
    ListKeywords,
    QueuedIdeas,
    QueueIdeasToWriter,
)
from igny8_contracts.publisher import IntegrationView, ListIntegrations
from igny8_contracts.writer import (
    ChangeContentStatus,
    ContentView,
    FindTasks,
    GetContent,
    ListTasks,
    TaskFilters,
    TaskRef,
)
from igny8_contracts.writer_images import FindImageTasks, ImageTaskRef
from igny8_runtime import rpc
from igny8_runtime.rpc import Refused

R = TypeVar("R", bound=BaseModel)
PAGE = 100
RESERVE_CONCURRENCY = 8


class Hold(NamedTuple):
    """Credits held under ``key`` for at most ``quantity`` units of ``operation_type``."""

    key: str
    operation_type: str
    quantity: int


class CreditsShort(Exception):  # noqa: N818
    """Billing refused a hold (402): the account cannot pay for the stage now."""

    def __init__(self, message: str, details: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class Owners:
    def __init__(self, broker: NatsBroker, timeout: float) -> None:
        self.broker = broker
        self.timeout = timeout

    async def ask(self, account_id: uuid.UUID, query: Answered[R]) -> R:
        return await rpc.ask(self.broker, query, account_id=account_id, source="automation",
                             timeout=self.timeout)

    # -------------------------------------------------------------------------- planner

    async def pending_keywords(self, account_id: uuid.UUID, site_id: uuid.UUID,
                               limit: int) -> list[KeywordView]:
        """The site's unclustered keywords, oldest first, at most ``limit``."""
        found: list[KeywordView] = []
        cursor: str | None = None
        while len(found) < limit:
            page = await self.ask(account_id, ListKeywords(
                account_id=account_id, ordering="created_at", cursor=cursor,
                page_size=min(500, limit - len(found)),
                filters=KeywordFilters(site_id=site_id, status="pending")))
            found += [k for k in page.results if k.cluster_id is None]
            cursor = page.next_cursor
            if cursor is None:
                break
        return found[:limit]

    async def clusters_without_ideas(self, account_id: uuid.UUID, site_id: uuid.UUID,
                                     limit: int) -> list[uuid.UUID]:
        """The site's clusters that have no idea yet (oldest first), at most ``limit``."""
        with_ideas: set[uuid.UUID] = set()
        page_number = 1
        while True:
            ideas = await self.ask(account_id, ListIdeas(
                account_id=account_id, filters=IdeaFilters(site_id=site_id),
                page=page_number, page_size=500))
            with_ideas |= {i.cluster_id for i in ideas.results if i.cluster_id is not None}
            if page_number * 500 >= ideas.count:
                break
            page_number += 1
        bare: list[uuid.UUID] = []
        page_number = 1
        while len(bare) < limit:
            clusters = await self.ask(account_id, ListClusters(
                account_id=account_id, site_id=site_id, ordering="created_at",
                page=page_number, page_size=PAGE))
            bare += [c.id for c in clusters.results if c.id not in with_ideas]
            if page_number * PAGE >= clusters.count:
                break
            page_number += 1
        return bare[:limit]

    async def queue_ideas(self, account_id: uuid.UUID, idea_ids: list[uuid.UUID]) -> QueuedIdeas:
        return await self.ask(account_id, QueueIdeasToWriter(account_id=account_id,
                                                             idea_ids=idea_ids))

    # -------------------------------------------------------------------------- writer

    async def tasks_of_ideas(self, account_id: uuid.UUID, site_id: uuid.UUID,
                             idea_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        """The writer's task of each idea that has one (idea id → task id)."""
        async def task_of(idea_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID | None]:
            page = await self.ask(account_id, ListTasks(
                account_id=account_id, filters=TaskFilters(site_id=site_id, idea_id=idea_id),
                ordering="created_at", page_size=1))
            return idea_id, (page.results[0].id if page.results else None)

        found = await asyncio.gather(*(task_of(i) for i in idea_ids))
        return {idea: task for idea, task in found if task is not None}

    async def tasks(self, account_id: uuid.UUID, task_ids: list[uuid.UUID]) -> list[TaskRef]:
        if not task_ids:
            return []
        return (await self.ask(account_id, FindTasks(account_id=account_id,
                                                     task_ids=task_ids))).tasks

    async def image_tasks(self, account_id: uuid.UUID,
                          task_ids: list[uuid.UUID]) -> list[ImageTaskRef]:
        if not task_ids:
            return []
        return (await self.ask(account_id, FindImageTasks(account_id=account_id,
                                                          task_ids=task_ids))).tasks

    async def content(self, account_id: uuid.UUID, content_id: uuid.UUID) -> ContentView | None:
        try:
            return await self.ask(account_id, GetContent(account_id=account_id,
                                                         content_id=content_id))
        except Refused as refused:
            if refused.status == 404:
                return None
            raise

    async def move_content(self, account_id: uuid.UUID, content_id: uuid.UUID,
                           status: str) -> ContentView:
        assert status in ("review", "approved")
        return await self.ask(account_id, ChangeContentStatus(
            account_id=account_id, content_id=content_id,
            status="review" if status == "review" else "approved"))

    # -------------------------------------------------------------------------- publisher

    async def integration(self, account_id: uuid.UUID,
                          site_id: uuid.UUID) -> IntegrationView | None:
        page = await self.ask(account_id, ListIntegrations(account_id=account_id,
                                                           site_id=site_id))
        active = [i for i in page.results if i.is_active]
        return active[0] if active else None

    # -------------------------------------------------------------------------- billing

    async def reserve(self, account_id: uuid.UUID, holds: list[Hold]) -> None:
        """Every hold or none (as the gateway does): billing's 402 raises ``CreditsShort``
        with its numbers after the holds made are released; other refusals pass through."""
        gate = asyncio.Semaphore(RESERVE_CONCURRENCY)

        async def reserve(hold: Hold) -> None:
            async with gate:
                await self.ask(account_id, ReserveCredits(
                    account_id=account_id, reservation_key=hold.key,
                    operation_type=hold.operation_type, max_quantity=hold.quantity))

        outcomes = await asyncio.gather(*(reserve(h) for h in holds), return_exceptions=True)
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        if not failures:
            return
        await self.release(account_id, [h.key for h, o in zip(holds, outcomes, strict=True)
                                        if not isinstance(o, BaseException)])
        short = next((f for f in failures if isinstance(f, Refused) and f.status == 402), None)
        if short is not None:
            raise CreditsShort(short.message, {k: v for k, v in (short.errors or {}).items()})
        raise failures[0]

    async def release(self, account_id: uuid.UUID, keys: list[str]) -> None:
        async def release(key: str) -> None:
            await self.ask(account_id, ReleaseReservation(account_id=account_id,
                                                          reservation_key=key))

        await asyncio.gather(*(release(k) for k in keys), return_exceptions=True)
