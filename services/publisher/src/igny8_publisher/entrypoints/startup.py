"""What the publisher builds once at start-up and gives its handlers (``ctx.get(Kind)``): the
secrets box (application passwords, webhook secrets) and the ``Publisher`` (writer content,
media store, WordPress clients with their shared site cache and HTTP connections)."""

from __future__ import annotations

import asyncio

from igny8_publisher.adapters.writer_content import WriterContentSource
from igny8_publisher.app import service
from igny8_publisher.service_layer.connections import safe_http
from igny8_publisher.service_layer.publishing import Publisher
from igny8_publisher.settings import publisher_settings
from igny8_runtime.media import media_store_from_settings
from igny8_runtime.secrets import SecretBox
from igny8_runtime.service import ServiceRuntime


@service.on_start
async def provide_publishing(runtime: ServiceRuntime) -> None:
    settings = publisher_settings()
    box = await asyncio.to_thread(SecretBox.from_settings)
    runtime.provide(box)
    runtime.provide(Publisher(
        uow=runtime.uow,
        contents=WriterContentSource(runtime.broker, settings.writer_timeout_seconds),
        media=media_store_from_settings(), box=box, settings=settings,
        http=safe_http(settings)))
