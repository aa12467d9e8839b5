"""Uploaded and exported files in JetStream's object store, moved through temporary files so
no file is ever whole in memory.

An object is downloaded with a pull consumer fetching its chunks in batches: ``ObjectStore.get``
(an ordered push consumer with flow control, each chunk written through the thread pool) took
~1.1 s for a 50 MB file, fetching takes ~0.15 s."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO, Final

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, ObjectInfo, ObjectStoreConfig
from nats.js.errors import (
    BadObjectMetaError,
    BucketNotFoundError,
    DigestMismatchError,
    NotFoundError,
)
from nats.js.object_store import (
    OBJ_CHUNKS_PRE_TEMPLATE,
    OBJ_DIGEST_TYPE,
    OBJ_STREAM_TEMPLATE,
    ObjectStore,
)

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


FETCH_CHUNKS: Final = 32  # chunks per pull request (128 KiB each by default)
FETCH_TIMEOUT_SECONDS: Final = 30.0


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
                    info = await store.get_info(object_name)
                    if info.is_link():
                        await store.get(object_name, writeinto=target)
                    else:
                        await self._fetch(bucket_name, info, target)
                except (NotFoundError, BucketNotFoundError) as exc:
                    raise MissingFileError(object_name) from exc
            yield path
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    async def _fetch(self, bucket_name: str, info: ObjectInfo, target: BinaryIO) -> None:
        """The chunks of ``info`` into ``target``, checked against its size and digest."""
        if not info.nuid:
            raise BadObjectMetaError
        chunks, size = info.chunks or 0, info.size or 0
        digest = hashlib.sha256()
        if chunks:
            subscription = await self.js.pull_subscribe(
                OBJ_CHUNKS_PRE_TEMPLATE.format(bucket=bucket_name, obj=info.nuid),
                stream=OBJ_STREAM_TEMPLATE.format(bucket=bucket_name),
                config=ConsumerConfig(ack_policy=AckPolicy.NONE,
                                      deliver_policy=DeliverPolicy.ALL,
                                      inactive_threshold=FETCH_TIMEOUT_SECONDS))
            try:
                received = 0
                while received < chunks:
                    for message in await subscription.fetch(
                            min(FETCH_CHUNKS, chunks - received), FETCH_TIMEOUT_SECONDS):
                        digest.update(message.data)
                        target.write(message.data)
                        received += 1
            finally:
                with contextlib.suppress(Exception):
                    await subscription.unsubscribe()
        expected = base64.urlsafe_b64decode((info.digest or "").replace(OBJ_DIGEST_TYPE, "")
                                            .replace(OBJ_DIGEST_TYPE.upper(), ""))
        if target.tell() != size or digest.digest() != expected:
            raise DigestMismatchError

    async def upload(self, bucket_name: str, object_name: str, path: Path) -> None:
        store = await bucket(self.js, bucket_name)
        with path.open("rb") as source:
            await store.put(object_name, source)
