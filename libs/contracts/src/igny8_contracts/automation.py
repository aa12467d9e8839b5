"""Automation's contracts: a site's automation settings and its runs (the hands-off pipeline
cluster → ideas → queue → articles → images → review → publish → done).

The gateway checks that the site is the caller's and visible, and that the role may act, before
asking; it passes the sites the caller may see as ``visible_site_ids`` (``None``: every site of
the account), and the automation service filters every read and write by ``account_id`` and
that scope (outside it: 404). The automation acts on the other services only through their own
commands and requests, so every stage keeps its credit reservation, its checks and its progress.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from igny8_contracts.messages import Event, Query, Request

Stage = Literal["cluster", "ideas", "queue", "articles", "images", "review", "publish", "done"]
STAGES: Final[tuple[Stage, ...]] = ("cluster", "ideas", "queue", "articles", "images", "review",
                                    "publish", "done")
RunStatus = Literal["pending", "running", "paused", "completed", "failed", "cancelled"]
ACTIVE_RUN_STATUSES: Final = ("pending", "running", "paused")
RunTrigger = Literal["manual", "schedule"]
RunAction = Literal["pause", "resume", "cancel"]
PauseReason = Literal["manual", "credits"]

# Upper bounds of the per-run stage limits: what the owners accept in one command.
MAX_CLUSTER_LIMIT: Final = 1000  # keywords clustered per run
MAX_IDEAS_LIMIT: Final = 100  # clusters given ideas per run (planner's MAX_IDEA_CLUSTERS)
MAX_CONTENT_LIMIT: Final = 100  # articles written per run (writer's MAX_GENERATE)
MAX_IMAGES_LIMIT: Final = 100  # articles illustrated per run (writer's MAX_IMAGE_TASKS)
MAX_PUBLISH_LIMIT: Final = 50  # articles published per run (publisher's MAX_PUBLISH)
MAX_DELAY_SECONDS: Final = 3600
MAX_RUN_MINUTES: Final = 24 * 60
MAX_SCHEDULE_LENGTH: Final = 100


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AutomationSettings(_Data):
    """What a person chooses for a site (every field has the original's default)."""

    is_active: bool = False
    schedule: str | None = Field(
        default=None, max_length=MAX_SCHEDULE_LENGTH,
        description="A five-field cron expression (minute hour day month weekday) evaluated in "
                    "`timezone`; null: runs start only by hand")
    timezone: str = Field(default="UTC", min_length=1, max_length=64,
                          description="IANA time zone the schedule is read in, e.g. Europe/Berlin")
    cluster_limit: int = Field(default=10, ge=0, le=MAX_CLUSTER_LIMIT,
                               description="Keywords clustered per run")
    ideas_limit: int = Field(default=10, ge=0, le=MAX_IDEAS_LIMIT,
                             description="Clusters given an idea per run")
    content_limit: int = Field(default=5, ge=0, le=MAX_CONTENT_LIMIT,
                               description="Ideas queued and articles written per run")
    images_limit: int = Field(default=10, ge=0, le=MAX_IMAGES_LIMIT,
                              description="Articles illustrated per run")
    publish_limit: int = Field(default=5, ge=0, le=MAX_PUBLISH_LIMIT,
                               description="Articles published per run")
    in_article_images: int = Field(default=1, ge=0, le=5)
    delay_seconds: int = Field(default=0, ge=0, le=MAX_DELAY_SECONDS,
                               description="Pause between one stage's end and the next's start")
    max_run_minutes: int = Field(default=60, ge=1, le=MAX_RUN_MINUTES,
                                 description="A run still going after this long fails")
    auto_approve: bool = Field(default=False,
                               description="Approve the run's articles; else wait for a person")
    auto_publish: bool = Field(default=False,
                               description="Publish approved articles to the site's WordPress")
    stop_on_error: bool = Field(default=True,
                                description="A failed stage fails the run; else it goes on")


class AutomationConfigView(AutomationSettings):
    site_id: uuid.UUID
    next_run_at: datetime | None
    updated_at: datetime | None


class GetAutomationConfig(Query[AutomationConfigView]):
    """A site's settings (the defaults when never saved)."""

    subject_base = "qry.automation.config.get"
    account_id: uuid.UUID
    site_id: uuid.UUID


class SaveAutomationConfig(Request[AutomationConfigView]):
    """Replace a site's settings; an invalid schedule or time zone answers 400 with field
    errors and nothing is saved."""

    subject_base = "req.automation.config.save"
    account_id: uuid.UUID
    site_id: uuid.UUID
    settings: AutomationSettings


class StageResult(_Data):
    """One stage of a run: how many items it took on, how many it finished or failed."""

    stage: Stage
    state: Literal["waiting", "running", "done", "skipped", "failed"]
    total: int
    processed: int
    failed: int
    operation_ids: list[uuid.UUID]
    message: str


class RunItem(_Data):
    """Something a run produced (or took on): ``kind`` and the owner's id."""

    kind: Literal["keyword", "idea", "task", "content", "post"]
    id: uuid.UUID


class AutomationRunView(_Data):
    id: uuid.UUID
    site_id: uuid.UUID
    status: RunStatus
    stage: Stage
    trigger: RunTrigger
    started_by: uuid.UUID | None
    pause_reason: PauseReason | None
    pause_details: dict[str, Any] | None
    error: str
    stages: list[StageResult]
    items: list[RunItem]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    deadline_at: datetime | None


class AutomationRunPage(_Data):
    results: list[AutomationRunView]
    count: int


class StartAutomationRun(Request[AutomationRunView]):
    """Start a run for a site now (409 when the site has a run that has not finished). The run
    id is its operation id (``/api/v1/operations/{id}/`` follows it)."""

    subject_base = "req.automation.runs.start"
    account_id: uuid.UUID
    site_id: uuid.UUID
    started_by: uuid.UUID | None = None


class ListAutomationRuns(Query[AutomationRunPage]):
    subject_base = "qry.automation.runs.list"
    account_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    site_id: uuid.UUID | None = None
    status: RunStatus | None = None
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=100)


class GetAutomationRun(Query[AutomationRunView]):
    subject_base = "qry.automation.runs.get"
    account_id: uuid.UUID
    run_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class ChangeAutomationRun(Request[AutomationRunView]):
    """Pause, resume or cancel a run; a change its status does not allow answers 409."""

    subject_base = "req.automation.runs.change"
    account_id: uuid.UUID
    run_id: uuid.UUID
    action: RunAction
    visible_site_ids: list[uuid.UUID] | None = None


class AutomationRunFinished(Event):
    """A run ended (completed, failed or cancelled)."""

    subject_base = "evt.automation.run.finished"
    account_id: uuid.UUID
    site_id: uuid.UUID
    run_id: uuid.UUID
    status: RunStatus
    error: str
