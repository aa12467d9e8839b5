"""An automation run: its status, its stage, what each stage took on and produced. Pure.

A run goes through the stages in order (``STAGES``). A stage is *waiting* until the process
manager dispatches its work (commands to the owners), *running* while those operations (or, at
the queue and review stages, the owners' follow-up) are outstanding, then *done*, *skipped*
(nothing to do) or *failed*. Statuses: running → paused ↔ running → completed | failed |
cancelled. Every id a run asks the owners to use (operation ids, reservation keys) is derived
from the run id, the stage and the run's ``attempt`` (raised on every resume): a handler that
runs again after a crash sends the same ids, which the owners and billing recognise.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from igny8_contracts.automation import (
    STAGES,
    AutomationSettings,
    PauseReason,
    RunItem,
    RunStatus,
    RunTrigger,
    Stage,
    StageResult,
)

StageState = Literal["waiting", "running", "done", "skipped", "failed"]
ItemKind = Literal["keyword", "idea", "task", "content", "post"]
ACTIVE: frozenset[str] = frozenset({"pending", "running", "paused"})
# How long the queue stage waits for the writer to create the tasks of the queued ideas.
TASKS_WAIT_SECONDS = 120.0


class TransitionRefused(ValueError):  # noqa: N818
    """A change the run's status does not allow (the API answers 409)."""


@dataclass
class StageProgress:
    state: StageState = "waiting"
    total: int = 0
    processed: int = 0
    failed: int = 0
    operation_ids: list[uuid.UUID] = field(default_factory=list)
    # Operations started and not yet final, with how many items each took on.
    pending: dict[uuid.UUID, int] = field(default_factory=dict)
    # Items the stage waits for the owners to act on (queue: ideas without a task yet;
    # review: articles not approved yet).
    awaiting: list[uuid.UUID] = field(default_factory=list)
    since: datetime | None = None
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "total": self.total, "processed": self.processed,
                "failed": self.failed, "operation_ids": [str(o) for o in self.operation_ids],
                "pending": {str(k): v for k, v in self.pending.items()},
                "awaiting": [str(a) for a in self.awaiting],
                "since": self.since.isoformat() if self.since else None,
                "message": self.message}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StageProgress:
        return cls(state=data["state"], total=data["total"], processed=data["processed"],
                   failed=data["failed"],
                   operation_ids=[uuid.UUID(o) for o in data["operation_ids"]],
                   pending={uuid.UUID(k): int(v) for k, v in data["pending"].items()},
                   awaiting=[uuid.UUID(a) for a in data["awaiting"]],
                   since=datetime.fromisoformat(data["since"]) if data.get("since") else None,
                   message=data["message"])


def stage_index(stage: Stage) -> int:
    return STAGES.index(stage)


def operation_id_for(run_id: uuid.UUID, stage: Stage, attempt: int, part: str = "") -> uuid.UUID:
    """The id of the operation a run starts at ``stage`` (one per ``part``, e.g. a sector)."""
    return uuid.uuid5(run_id, f"{stage}:{attempt}:{part}")


@dataclass
class Run:
    id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    status: RunStatus
    stage: Stage
    trigger: RunTrigger
    started_by: uuid.UUID | None
    settings: AutomationSettings
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    deadline_at: datetime | None = None
    next_action_at: datetime | None = None
    pause_reason: PauseReason | None = None
    pause_details: dict[str, Any] | None = None
    error: str = ""
    attempt: int = 0
    stages: dict[str, StageProgress] = field(default_factory=dict)
    items: list[tuple[ItemKind, uuid.UUID]] = field(default_factory=list)

    # -------------------------------------------------------------------------- creating

    @classmethod
    def start(cls, account_id: uuid.UUID, site_id: uuid.UUID, settings: AutomationSettings,
              trigger: RunTrigger, started_by: uuid.UUID | None, now: datetime,
              run_id: uuid.UUID | None = None) -> Run:
        return cls(id=run_id or uuid.uuid4(), account_id=account_id, site_id=site_id,
                   status="running", stage=STAGES[0], trigger=trigger, started_by=started_by,
                   settings=settings, created_at=now, started_at=now,
                   deadline_at=now + timedelta(minutes=settings.max_run_minutes),
                   next_action_at=now,
                   stages={s: StageProgress() for s in STAGES if s != "done"})

    # -------------------------------------------------------------------------- reading

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def current(self) -> StageProgress:
        return self.stages.setdefault(self.stage, StageProgress())

    def items_of(self, kind: ItemKind) -> list[uuid.UUID]:
        return [item_id for k, item_id in self.items if k == kind]

    def add_items(self, kind: ItemKind, ids: list[uuid.UUID]) -> None:
        known = set(self.items)
        for item_id in ids:
            if (kind, item_id) not in known:
                self.items.append((kind, item_id))
                known.add((kind, item_id))

    def timed_out(self, now: datetime) -> bool:
        """Past the maximum run time. Waiting for a person at the review gate is not the
        machine's time: it does not count."""
        waiting_for_people = self.stage == "review" and self.current.state == "running"
        return (self.status == "running" and self.deadline_at is not None
                and now >= self.deadline_at and not waiting_for_people)

    def percent(self) -> int:
        return min(99, stage_index(self.stage) * 100 // (len(STAGES) - 1))

    def stage_results(self) -> list[StageResult]:
        return [StageResult(stage=s, state=p.state, total=p.total, processed=p.processed,
                            failed=p.failed, operation_ids=p.operation_ids, message=p.message)
                for s, p in ((s, self.stages.get(s, StageProgress())) for s in STAGES
                             if s != "done")]

    def run_items(self) -> list[RunItem]:
        return [RunItem(kind=k, id=i) for k, i in self.items]

    # -------------------------------------------------------------------------- people

    def pause(self, reason: PauseReason, details: dict[str, Any] | None = None) -> None:
        if self.status not in ("pending", "running"):
            raise TransitionRefused(f"A {self.status} run cannot be paused.")
        self.status = "paused"
        self.pause_reason = reason
        self.pause_details = details
        self.next_action_at = None

    def resume(self, now: datetime) -> None:
        if self.status != "paused":
            raise TransitionRefused(f"A {self.status} run cannot be resumed.")
        self.status = "running"
        self.pause_reason = None
        self.pause_details = None
        self.attempt += 1
        self.next_action_at = now
        if self.deadline_at is not None and self.deadline_at <= now:
            # The time spent paused is not the run's: it gets its full time again.
            self.deadline_at = now + timedelta(minutes=self.settings.max_run_minutes)

    def cancel(self, now: datetime) -> None:
        if not self.is_active:
            raise TransitionRefused(f"A {self.status} run cannot be cancelled.")
        self._finish("cancelled", now)

    # -------------------------------------------------------------------------- the machine

    def fail(self, error: str, now: datetime) -> None:
        if self.stage != "done":
            self.current.state = "failed"
        self.error = error[:2000]
        self._finish("failed", now)

    def begin_stage(self, now: datetime, *, total: int, operations: dict[uuid.UUID, int],
                    awaiting: list[uuid.UUID] | None = None, message: str = "") -> None:
        progress = self.current
        progress.state = "running"
        progress.total = total
        progress.pending = dict(operations)
        progress.operation_ids = list(dict.fromkeys([*progress.operation_ids, *operations]))
        progress.awaiting = list(awaiting or [])
        progress.since = now
        progress.message = message
        self.next_action_at = None

    def operation_finished(self, operation_id: uuid.UUID, *, processed: int,
                           failed: int | None = None) -> bool:
        """Count a finished operation of the current stage (``failed`` None: every item it
        took on that it did not process). True when it was pending (a repeat is ignored)."""
        progress = self.current
        took = progress.pending.pop(operation_id, None)
        if took is None:
            return False
        progress.processed += processed
        progress.failed += failed if failed is not None else max(0, took - processed)
        return True

    @property
    def stage_settled(self) -> bool:
        """The current stage's work is dispatched and nothing of it is outstanding."""
        progress = self.current
        return progress.state == "running" and not progress.pending and not progress.awaiting

    def finish_stage(self, now: datetime, message: str = "") -> None:
        """The current stage is over: stop if it failed and the settings say so, else go on
        to the next stage after the configured delay."""
        progress = self.current
        if message:
            progress.message = message
        if progress.failed and progress.processed == 0:
            progress.state = "failed"
        else:
            progress.state = "done"
        if progress.failed and self.settings.stop_on_error:
            self.fail(f"The {self.stage} stage failed for {progress.failed} of "
                      f"{progress.total} items. {progress.message}".strip(), now)
            return
        self._advance(now, now + timedelta(seconds=self.settings.delay_seconds))

    def skip_stage(self, now: datetime, message: str) -> None:
        progress = self.current
        progress.state = "skipped"
        progress.message = message
        progress.since = now
        self._advance(now, now)

    def wait(self, until: datetime) -> None:
        self.next_action_at = until

    def _advance(self, now: datetime, at: datetime) -> None:
        self.stage = STAGES[stage_index(self.stage) + 1]
        if self.stage == "done":
            self._finish("completed", now)
        else:
            self.next_action_at = at

    def _finish(self, status: RunStatus, now: datetime) -> None:
        self.status = status
        self.finished_at = now
        self.next_action_at = None
        if status == "completed":
            self.stage = "done"
