"""Media store: the storage port for generated images (and other binary media).

Messages never carry image bytes; they carry a *key* (``<account_id>/<image_id>.png``) into a
``MediaStore``. The default adapter keeps files in a local folder (``IGNY8_MEDIA_DIR``, default
``.data/media``); every service that reads or writes media (writer, gateway, publisher) points
at the same folder. Another adapter (S3, JetStream object store) only has to implement the
three methods of the ``MediaStore`` protocol.

Keys are relative, ``/``-separated paths of plain names (letters, digits, ``.``, ``_``, ``-``);
anything that could escape the root (``..``, absolute paths, backslashes, empty segments,
hidden names) is refused with ``InvalidMediaKeyError`` before the file system is touched.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import uuid
from pathlib import Path
from typing import Protocol, runtime_checkable

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "InvalidMediaKeyError",
    "LocalFolderMediaStore",
    "MediaNotFound",
    "MediaSettings",
    "MediaStore",
    "media_store_from_settings",
]

_SEGMENT = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")
_MAX_KEY_LENGTH = 512
_MAX_SEGMENTS = 8


class MediaNotFound(LookupError):  # noqa: N818 (name agreed in the contracts)
    """No media is stored under the key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no media stored under {key!r}")
        self.key = key


class InvalidMediaKeyError(ValueError):
    """The key is not a safe relative path (it could escape the store's root)."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"invalid media key {key!r}: {reason}")
        self.key = key


@runtime_checkable
class MediaStore(Protocol):
    """Where media bytes live. Keys look like ``<account_id>/<image_id>.png``."""

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key`` (replacing what was there, atomically)."""
        ...

    async def get(self, key: str) -> bytes:
        """The bytes under ``key``; raises ``MediaNotFound``."""
        ...

    async def delete(self, key: str) -> None:
        """Remove ``key``; removing a missing key is not an error."""
        ...


def validate_key(key: str) -> list[str]:
    """The key's segments, or ``InvalidMediaKeyError`` if it is not a safe relative path."""
    if not isinstance(key, str) or not key:
        raise InvalidMediaKeyError(str(key), "empty")
    if len(key) > _MAX_KEY_LENGTH:
        raise InvalidMediaKeyError(key[:40] + "…", "too long")
    if "\\" in key or "\x00" in key:
        raise InvalidMediaKeyError(key, "backslashes and NUL are not allowed")
    if key.startswith("/"):
        raise InvalidMediaKeyError(key, "absolute paths are not allowed")
    segments = key.split("/")
    if len(segments) > _MAX_SEGMENTS:
        raise InvalidMediaKeyError(key, "too many segments")
    for segment in segments:
        if segment in ("", ".", ".."):
            raise InvalidMediaKeyError(key, "empty, '.' or '..' segments are not allowed")
        if not _SEGMENT.match(segment):
            raise InvalidMediaKeyError(key, f"segment {segment!r} has characters outside [A-Za-z0-9._-]")
    return segments


class LocalFolderMediaStore:
    """Files under ``root``: ``root/<account_id>/<image_id>.png``.

    Writes go to a temporary file in the same folder and are renamed into place, so a reader
    never sees half an image. The content type is implied by the key's extension (the writer
    keeps the MIME type next to the key in its own table)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()

    def path_for(self, key: str) -> Path:
        segments = validate_key(key)
        path = self.root.joinpath(*segments).resolve()
        # Belt and braces (symlinks inside the root): the resolved path must stay under it.
        if not path.is_relative_to(self.root) or path == self.root:
            raise InvalidMediaKeyError(key, "resolves outside the media root")
        return path

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path_for(key)
        await asyncio.to_thread(_write_atomically, path, data)

    async def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise MediaNotFound(key) from exc

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        try:
            await asyncio.to_thread(path.unlink)
        except FileNotFoundError:
            return

    def __repr__(self) -> str:
        return f"LocalFolderMediaStore({str(self.root)!r})"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{uuid.uuid4().hex}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


class MediaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_", extra="ignore")

    media_dir: Path = Field(default=Path(".data/media"))


def media_store_from_settings(settings: MediaSettings | None = None) -> MediaStore:
    """The configured media store (today: the local folder ``IGNY8_MEDIA_DIR``)."""
    settings = settings or MediaSettings()
    return LocalFolderMediaStore(settings.media_dir)
