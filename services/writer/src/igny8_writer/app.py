"""The writer service: its tables, what it builds at start-up, and (imported in ``load``) its
handlers."""

from __future__ import annotations

import asyncio

from igny8_runtime.media import media_store_from_settings
from igny8_runtime.secrets import SecretBox
from igny8_runtime.service import Service, ServiceRuntime
from igny8_writer.adapters.media import ImageFiles
from igny8_writer.adapters.orm import metadata
from igny8_writer.adapters.shared_ai import provide_ai_engine
from igny8_writer.image_settings import WriterImageSettings
from igny8_writer.service_layer.uow import WriterUnitOfWork
from igny8_writer.settings import WriterSettings

service: Service[WriterUnitOfWork] = Service("writer", metadata, WriterUnitOfWork)
# One AI engine (one limiter per provider and account) for the whole process.
service.on_start(provide_ai_engine)


@service.on_start
async def provide_shared_objects(runtime: ServiceRuntime) -> None:
    """The settings, the keys that open the accounts' AI provider keys (IGNY8_SECRETS_KEYS)
    and the media store, for handlers to reach with ``ctx.get``."""
    runtime.provide(WriterSettings())
    runtime.provide(WriterImageSettings())
    runtime.provide(await asyncio.to_thread(SecretBox.from_settings))
    runtime.provide(ImageFiles(media_store_from_settings()))


def load() -> Service[WriterUnitOfWork]:
    """The service with every handler registered."""
    from igny8_writer.entrypoints import (
        image_messages,  # noqa: F401  (image handlers)
        messages,  # noqa: F401  (registers handlers)
        publisher_events,  # noqa: F401  (content follows the publisher)
    )

    return service
