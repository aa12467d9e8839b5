"""The planner service: its tables, unit of work, what it builds at start-up, and (imported in
``load``) its handlers."""

from __future__ import annotations

import asyncio

from igny8_planner.adapters.account_models import AccountModels
from igny8_planner.adapters.file_store import FileStore
from igny8_planner.adapters.orm import metadata
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_planner.settings import planner_settings
from igny8_runtime.secrets import SecretBox
from igny8_runtime.service import Service, ServiceRuntime

service: Service[PlannerUnitOfWork] = Service("planner", metadata, PlannerUnitOfWork)


@service.on_start
async def provide_adapters(runtime: ServiceRuntime) -> None:
    """What handlers reach with ``ctx.get``: the object store (uploads and exports), and the
    accounts' AI models (the keys that open their provider keys: IGNY8_SECRETS_KEYS)."""
    box = await asyncio.to_thread(SecretBox.from_settings)
    runtime.provide(FileStore(runtime.js))
    runtime.provide(AccountModels(planner_settings().ai_provider, box))


def load() -> Service[PlannerUnitOfWork]:
    """The service with every handler registered."""
    from igny8_planner.entrypoints import (  # noqa: F401  (each registers its handlers)
        cluster_messages,
        idea_messages,
        keyword_messages,
        writer_events,
    )

    return service
