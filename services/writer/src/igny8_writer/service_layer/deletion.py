"""Deleting articles, and removing image files whose rows are gone.

Files are removed only after the transaction that deleted their rows has committed (a rolled
back deletion keeps its files), and a file that cannot be removed is logged, not fatal: the
rows are already gone, and a stray file is harmless where a half-done deletion is not.
"""

from __future__ import annotations

from collections.abc import Iterable

from igny8_contracts.writer import DeleteContent, DeletedContent
from igny8_runtime.logging import get_logger
from igny8_runtime.media import MediaStore
from igny8_writer.service_layer.uow import WriterUnitOfWork

log = get_logger(__name__)


async def remove_files(media: MediaStore, keys: Iterable[str]) -> int:
    """Remove each file (call after the commit); how many could not be removed."""
    failed = 0
    for key in keys:
        try:
            await media.delete(key)
        except Exception as exc:  # a file left behind must not undo or fail the deletion
            failed += 1
            log.warning("media_file_not_removed", storage_key=key,
                        error=f"{type(exc).__name__}: {exc}")
    return failed


async def delete_content(request: DeleteContent, uow: WriterUnitOfWork,
                         media: MediaStore) -> DeletedContent:
    """Deletes the articles of the caller's scope among the ids, with their versions and
    images, then the images' files; answers how many articles were deleted."""
    ids = await uow.content.lock_in_scope(request.account_id, request.content_ids,
                                          request.visible_site_ids)
    keys = await uow.images.storage_keys_of_content(request.account_id, ids)
    deleted = await uow.content.delete_many(request.account_id, ids) if ids else []
    await uow.commit()
    await remove_files(media, keys)
    return DeletedContent(count=len(deleted))
