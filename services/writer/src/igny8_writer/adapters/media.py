"""The writer's media store (generated image files), one per process."""

from __future__ import annotations

from functools import cache

from igny8_runtime.media import MediaStore, media_store_from_settings


@cache
def writer_media_store() -> MediaStore:
    return media_store_from_settings()
