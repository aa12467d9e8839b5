"""An idea is completed once the article of the task made from it has been written
(ContentGenerated v2 carries the task's idea)."""

from __future__ import annotations

from igny8_contracts.writer import ContentGeneratedV2
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.logging import get_logger

log = get_logger(__name__)


async def complete_idea(event: ContentGeneratedV2, uow: PlannerUnitOfWork) -> None:
    """Marks the task's idea completed (a task made by hand has none; an archived idea, or one
    deleted meanwhile, is left as it is). The consumer commits."""
    if event.idea_id is None:
        return
    if await uow.ideas.complete(event.account_id, event.idea_id):
        log.info("idea_completed", idea_id=str(event.idea_id), task_id=str(event.task_id))
