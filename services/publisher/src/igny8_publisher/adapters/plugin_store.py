"""The bridge plugin's zip in JetStream's object store, so the gateway can serve it for
download (Publishing → WordPress) without the plugin's files: built once per content (the
object's name carries its digest) and put only when the store does not have it yet."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import tempfile
from pathlib import Path

from nats.js.api import ObjectStoreConfig
from nats.js.client import JetStreamContext
from nats.js.errors import BucketNotFoundError, NotFoundError, ObjectNotFoundError

from igny8_contracts.publisher_sync import PluginPackage
from igny8_publisher.plugin_package import PLUGIN_DIR, PLUGIN_SLUG, build_zip

BUCKET = "igny8-plugin"
_VERSION = re.compile(r"^\s*\*\s*Version:\s*(\S+)", re.MULTILINE)


def plugin_version(plugin_dir: Path = PLUGIN_DIR) -> str:
    header = (plugin_dir / f"{PLUGIN_SLUG}.php").read_text(encoding="utf-8")
    found = _VERSION.search(header)
    return found.group(1) if found else "0"


def _zip_bytes(plugin_dir: Path) -> bytes:
    with tempfile.TemporaryDirectory(prefix="igny8-plugin-") as folder:
        return build_zip(Path(folder) / f"{PLUGIN_SLUG}.zip", plugin_dir).read_bytes()


async def stored_plugin_package(js: JetStreamContext,
                                plugin_dir: Path = PLUGIN_DIR) -> PluginPackage:
    """The zip's place in the object store (putting it there if it is not yet)."""
    data, version = await asyncio.to_thread(
        lambda: (_zip_bytes(plugin_dir), plugin_version(plugin_dir)))
    digest = hashlib.sha256(data).hexdigest()
    name = f"{PLUGIN_SLUG}-{version}-{digest[:16]}.zip"
    try:
        store = await js.object_store(BUCKET)
    except (BucketNotFoundError, NotFoundError):
        store = await js.create_object_store(BUCKET, ObjectStoreConfig(bucket=BUCKET))
    try:
        await store.get_info(name)
    except (ObjectNotFoundError, NotFoundError):
        with contextlib.suppress(Exception):  # a concurrent put of the same bytes is fine
            await store.put(name, data)
        await store.get_info(name)
    return PluginPackage(bucket=BUCKET, object_name=name, filename=f"{PLUGIN_SLUG}-{version}.zip",
                         size=len(data), sha256=digest, version=version)
