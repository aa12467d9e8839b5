"""What the planner hears from the writer: an idea is completed once the article of the task
made from it has been written."""

from __future__ import annotations

from igny8_contracts.writer import ContentGeneratedV2
from igny8_planner.app import service
from igny8_planner.service_layer import idea_completion
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.handling import HandlerContext


@service.on_event(ContentGeneratedV2, "complete-idea-on-content")
async def on_content_generated(event: ContentGeneratedV2, uow: PlannerUnitOfWork,
                               ctx: HandlerContext) -> None:
    """Marks the task's idea completed (a task made by hand has none; an archived idea, or one
    deleted meanwhile, is left as it is)."""
    await idea_completion.complete_idea(event, uow)
