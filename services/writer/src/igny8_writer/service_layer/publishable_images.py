"""The images the publisher sends with an article (``GetPublishableContent``).

HOOK for the writer's images part: it returns the content's generated images (featured first,
then in-article by position) from the images table (``service_layer.image_queries``).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts.writer import PublishableImage
from igny8_writer.service_layer.image_queries import images_for_publishing


async def publishable_images(session: AsyncSession, account_id: uuid.UUID,
                             content_id: uuid.UUID) -> list[PublishableImage]:
    return await images_for_publishing(session, account_id, content_id)
