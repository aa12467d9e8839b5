import asyncio
import os
import uuid
from pathlib import Path

import pytest

from igny8_runtime.media import (
    InvalidMediaKeyError,
    LocalFolderMediaStore,
    MediaNotFound,
    MediaSettings,
    MediaStore,
    media_store_from_settings,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_put_get_delete_round_trip(tmp_path: Path) -> None:
    store = LocalFolderMediaStore(tmp_path)
    key = f"{uuid.uuid4()}/{uuid.uuid4()}.png"

    async def scenario() -> None:
        await store.put(key, PNG, "image/png")
        assert await store.get(key) == PNG
        await store.put(key, b"second", "image/png")  # replaces
        assert await store.get(key) == b"second"
        await store.delete(key)
        with pytest.raises(MediaNotFound):
            await store.get(key)
        await store.delete(key)  # deleting again is fine

    asyncio.run(scenario())
    assert isinstance(store, MediaStore)
    # Nothing but the (now empty) account folder is left: no temporary files.
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []


def test_file_lands_under_root_by_key(tmp_path: Path) -> None:
    store = LocalFolderMediaStore(tmp_path)
    asyncio.run(store.put("acc/img.png", PNG, "image/png"))
    assert (tmp_path / "acc" / "img.png").read_bytes() == PNG


def test_missing_key_is_media_not_found(tmp_path: Path) -> None:
    store = LocalFolderMediaStore(tmp_path)
    with pytest.raises(MediaNotFound) as err:
        asyncio.run(store.get("acc/missing.png"))
    assert err.value.key == "acc/missing.png"
    (tmp_path / "acc" / "folder.png").mkdir(parents=True)
    with pytest.raises(MediaNotFound):
        asyncio.run(store.get("acc/folder.png"))


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../outside.png",
        "acc/../../outside.png",
        "acc/..",
        "/etc/passwd",
        "acc//img.png",
        "acc/./img.png",
        "acc\\..\\img.png",
        "acc/.hidden",
        "acc/img.png\x00",
        "acc/im g.png",
        "a/" * 20 + "x.png",
        "x" * 600,
    ],
)
def test_unsafe_keys_are_refused_before_touching_disk(tmp_path: Path, key: str) -> None:
    root = tmp_path / "root"
    store = LocalFolderMediaStore(root)
    with pytest.raises(InvalidMediaKeyError):
        asyncio.run(store.put(key, PNG, "image/png"))
    with pytest.raises(InvalidMediaKeyError):
        asyncio.run(store.get(key))
    with pytest.raises(InvalidMediaKeyError):
        asyncio.run(store.delete(key))
    assert not root.exists()


def test_symlink_escaping_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(b"secret")
    root.mkdir()
    os.symlink(outside, root / "acc")
    store = LocalFolderMediaStore(root)
    with pytest.raises(InvalidMediaKeyError):
        asyncio.run(store.get("acc/secret.png"))


def test_settings_default_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("IGNY8_MEDIA_DIR", raising=False)
    assert MediaSettings().media_dir == Path(".data/media")
    monkeypatch.setenv("IGNY8_MEDIA_DIR", str(tmp_path / "m"))
    store = media_store_from_settings()
    assert isinstance(store, LocalFolderMediaStore)
    assert store.root == (tmp_path / "m").resolve()
