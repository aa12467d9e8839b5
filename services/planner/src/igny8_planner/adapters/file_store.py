"""Uploaded and exported files in JetStream's object store, moved through temporary files so
no file is ever whole in memory."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

from nats.js import JetStreamContext
from nats.js.api import ObjectStoreConfig
from nats.js.errors import BucketNotFoundError, NotFoundError
from nats.js.object_store import ObjectStore

from igny8_contracts.planner import (
    EXPORTS_BUCKET,
    EXPORTS_TTL_SECONDS,
    UPLOADS_BUCKET,
    UPLOADS_TTL_SECONDS,
)

UPLOADS: Final = UPLOADS_BUCKET
EXPORTS: Final = EXPORTS_BUCKET
# Objects expire on their own: an import may be retried until then, an export downloaded.
_TTL_SECONDS: Final = {UPLOADS: UPLOADS_TTL_SECONDS, EXPORTS: EXPORTS_TTL_SECONDS}


class MissingFileError(Exception):
    pass


async def bucket(js: JetStreamContext, name: str) -> ObjectStore:
    """The bucket, created on first use (the gateway and the planner agree on its settings)."""
    try:
        return await js.object_store(name)
    except (BucketNotFoundError, NotFoundError):
        return await js.create_object_store(
            name, ObjectStoreConfig(bucket=name, ttl=_TTL_SECONDS.get(name, 3600.0)))


class FileStore:
    def __init__(self, js: JetStreamContext) -> None:
        self.js = js

    @contextlib.asynccontextmanager
    async def downloaded(self, bucket_name: str, object_name: str) -> AsyncIterator[Path]:
        """The object in a temporary file (removed afterwards). Raises MissingFileError."""
        store = await bucket(self.js, bucket_name)
        handle, name = tempfile.mkstemp(prefix="igny8-import-")
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as target:
                try:
                    await store.get(object_name, writeinto=target)
                except (NotFoundError, BucketNotFoundError) as exc:
                    raise MissingFileError(object_name) from exc
            yield path
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    async def upload(self, bucket_name: str, object_name: str, path: Path) -> None:
        store = await bucket(self.js, bucket_name)
        with path.open("rb") as source:
            await store.put(object_name, source)
