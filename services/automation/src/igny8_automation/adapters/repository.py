"""Settings and runs (tables in ``tables``). Reads are filtered by account and, when given, by
the sites the caller may see; the run row is locked (``FOR UPDATE``) while the process manager
moves it on, so two deliveries or two replicas never move one run at once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_automation.adapters.tables import configs, run_operations, runs
from igny8_automation.domain.runs import Run, StageProgress
from igny8_contracts.automation import AutomationSettings


class ConfigRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, account_id: uuid.UUID, site_id: uuid.UUID
                  ) -> tuple[AutomationSettings, datetime | None, datetime | None] | None:
        """The site's settings, when its next run is due and when they were saved."""
        row = (await self.session.execute(select(configs).where(
            configs.c.account_id == account_id, configs.c.site_id == site_id))).mappings().first()
        if row is None:
            return None
        return (AutomationSettings.model_validate(row["settings"]), row["next_run_at"],
                row["updated_at"])

    async def save(self, account_id: uuid.UUID, site_id: uuid.UUID, settings: AutomationSettings,
                   next_run_at: datetime | None) -> datetime:
        values = {"settings": settings.model_dump(mode="json"), "is_active": settings.is_active,
                  "next_run_at": next_run_at}
        result = await self.session.execute(
            pg_insert(configs).values(site_id=site_id, account_id=account_id, **values)
            .on_conflict_do_update(index_elements=[configs.c.site_id],
                                   set_={**values, "updated_at": func.now()},
                                   where=configs.c.account_id == account_id)
            .returning(configs.c.updated_at))
        updated: datetime = result.scalar_one()
        return updated

    async def claim_due(self, now: datetime
                        ) -> tuple[uuid.UUID, uuid.UUID, AutomationSettings] | None:
        """One active config whose schedule is due, locked (others' claims skip it)."""
        row = (await self.session.execute(
            select(configs).where(configs.c.is_active, configs.c.next_run_at <= now)
            .order_by(configs.c.next_run_at).limit(1).with_for_update(skip_locked=True)
        )).mappings().first()
        if row is None:
            return None
        return (row["account_id"], row["site_id"],
                AutomationSettings.model_validate(row["settings"]))

    async def set_next_run(self, site_id: uuid.UUID, next_run_at: datetime | None) -> None:
        await self.session.execute(update(configs).where(configs.c.site_id == site_id)
                                   .values(next_run_at=next_run_at))

    async def delete_site(self, account_id: uuid.UUID, site_id: uuid.UUID) -> None:
        await self.session.execute(configs.delete().where(
            configs.c.account_id == account_id, configs.c.site_id == site_id))


def _to_row(run: Run) -> dict[str, Any]:
    return {
        "id": run.id, "account_id": run.account_id, "site_id": run.site_id,
        "status": run.status, "stage": run.stage, "trigger": run.trigger,
        "started_by": run.started_by, "settings": run.settings.model_dump(mode="json"),
        "stages": {s: p.to_json() for s, p in run.stages.items()},
        "items": [{"kind": k, "id": str(i)} for k, i in run.items],
        "pause_reason": run.pause_reason, "pause_details": run.pause_details,
        "error": run.error, "attempt": run.attempt, "created_at": run.created_at,
        "started_at": run.started_at, "finished_at": run.finished_at,
        "deadline_at": run.deadline_at, "next_action_at": run.next_action_at,
    }


def _from_row(row: Any) -> Run:
    return Run(
        id=row["id"], account_id=row["account_id"], site_id=row["site_id"],
        status=row["status"], stage=row["stage"], trigger=row["trigger"],
        started_by=row["started_by"],
        settings=AutomationSettings.model_validate(row["settings"]),
        created_at=row["created_at"], started_at=row["started_at"],
        finished_at=row["finished_at"], deadline_at=row["deadline_at"],
        next_action_at=row["next_action_at"], pause_reason=row["pause_reason"],
        pause_details=row["pause_details"], error=row["error"], attempt=row["attempt"],
        stages={s: StageProgress.from_json(p) for s, p in row["stages"].items()},
        items=[(i["kind"], uuid.UUID(i["id"])) for i in row["items"]],
    )


def _scoped(statement: Select[Any], account_id: uuid.UUID,
            visible_site_ids: Sequence[uuid.UUID] | None) -> Select[Any]:
    statement = statement.where(runs.c.account_id == account_id)
    if visible_site_ids is not None:
        statement = statement.where(runs.c.site_id.in_(list(visible_site_ids)))
    return statement


class RunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, run: Run) -> bool:
        """Inserts the run; False when the site already has an active run."""
        try:
            async with self.session.begin_nested():
                await self.session.execute(runs.insert().values(_to_row(run)))
        except IntegrityError:
            return False
        return True

    async def save(self, run: Run) -> None:
        row = _to_row(run)
        del row["id"]
        await self.session.execute(update(runs).where(runs.c.id == run.id)
                                   .values(**row, updated_at=func.now()))

    async def get(self, account_id: uuid.UUID, run_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None = None, *,
                  lock: bool = False) -> Run | None:
        statement = _scoped(select(runs).where(runs.c.id == run_id), account_id,
                            visible_site_ids)
        if lock:
            statement = statement.with_for_update()
        row = (await self.session.execute(statement)).mappings().first()
        return _from_row(row) if row else None

    async def page(self, account_id: uuid.UUID, visible_site_ids: Sequence[uuid.UUID] | None,
                   site_id: uuid.UUID | None, status: str | None, page: int, size: int
                   ) -> tuple[list[Run], int]:
        statement = _scoped(select(runs), account_id, visible_site_ids)
        if site_id is not None:
            statement = statement.where(runs.c.site_id == site_id)
        if status is not None:
            statement = statement.where(runs.c.status == status)
        count = await self.session.scalar(select(func.count()).select_from(statement.subquery()))
        rows = (await self.session.execute(
            statement.order_by(runs.c.created_at.desc(), runs.c.id)
            .limit(size).offset((page - 1) * size))).mappings().all()
        return [_from_row(r) for r in rows], int(count or 0)

    async def record_operations(self, run: Run, operation_ids: Sequence[uuid.UUID]) -> None:
        if operation_ids:
            await self.session.execute(
                pg_insert(run_operations).values([
                    {"operation_id": o, "run_id": run.id, "account_id": run.account_id,
                     "stage": run.stage} for o in operation_ids]).on_conflict_do_nothing())

    async def for_operation(self, account_id: uuid.UUID, operation_id: uuid.UUID) -> Run | None:
        """The run that started ``operation_id``, locked."""
        run_id = await self.session.scalar(select(run_operations.c.run_id).where(
            run_operations.c.operation_id == operation_id,
            run_operations.c.account_id == account_id))
        return None if run_id is None else await self.get(account_id, run_id, lock=True)

    async def awaiting_approval(self, account_id: uuid.UUID, site_id: uuid.UUID,
                                content_id: uuid.UUID) -> Run | None:
        """The site's running run waiting at the review gate for ``content_id``, locked."""
        row = (await self.session.execute(
            select(runs).where(runs.c.account_id == account_id, runs.c.site_id == site_id,
                               runs.c.status.in_(("running", "paused")),
                               runs.c.stage == "review",
                               runs.c.stages["review"]["awaiting"].op("?")(str(content_id)))
            .with_for_update())).mappings().first()
        return _from_row(row) if row else None

    async def claim_due(self, now: datetime) -> Run | None:
        """One running run whose next step is due (or whose time is up), locked; runs another
        replica holds are skipped."""
        row = (await self.session.execute(
            select(runs).where(runs.c.status == "running",
                               (runs.c.next_action_at <= now)
                               | ((runs.c.deadline_at <= now) & (runs.c.stage != "review")))
            .order_by(runs.c.next_action_at.nulls_last()).limit(1)
            .with_for_update(skip_locked=True))).mappings().first()
        return _from_row(row) if row else None

    async def active_for_site(self, account_id: uuid.UUID, site_id: uuid.UUID) -> Run | None:
        row = (await self.session.execute(select(runs).where(
            runs.c.account_id == account_id, runs.c.site_id == site_id,
            text("status IN ('pending', 'running', 'paused')")))).mappings().first()
        return _from_row(row) if row else None
