"""Where the writer keeps generated image files."""

from __future__ import annotations

from dataclasses import dataclass

from igny8_runtime.media import MediaStore


@dataclass(frozen=True)
class ImageFiles:
    """The writer's media store, built once at start-up: handlers reach it with
    ``ctx.get(ImageFiles).store`` (``MediaStore`` is a protocol, which cannot be the kind an
    object is provided as)."""

    store: MediaStore
