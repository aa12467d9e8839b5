import asyncio

import structlog

from igny8_runtime.media import LocalFolderMediaStore
from igny8_writer.service_layer.deletion import remove_files


class StubbornStore(LocalFolderMediaStore):
    """A store that cannot remove one of its files."""

    async def delete(self, key: str) -> None:
        if key == "acc/stuck.png":
            raise PermissionError("read-only volume")
        await super().delete(key)


def test_files_are_removed_and_one_that_cannot_be_is_logged_not_raised(tmp_path) -> None:
    store = StubbornStore(tmp_path)

    async def scenario() -> int:
        for key in ("acc/a.png", "acc/stuck.png", "acc/b.png"):
            await store.put(key, b"png", "image/png")
        return await remove_files(store, ["acc/a.png", "acc/stuck.png", "acc/b.png",
                                          "acc/never-stored.png"])

    with structlog.testing.capture_logs() as logs:
        failed = asyncio.run(scenario())
    assert failed == 1
    assert sorted(p.name for p in (tmp_path / "acc").iterdir()) == ["stuck.png"]
    assert [(e["event"], e["storage_key"]) for e in logs if e["log_level"] == "warning"] == [
        ("media_file_not_removed", "acc/stuck.png")]
    assert "read-only volume" in logs[-1]["error"]
