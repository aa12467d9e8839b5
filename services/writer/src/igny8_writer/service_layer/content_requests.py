"""Content reads and edits asked for over request/reply: list, detail, edit (every change a new
version, HTML sanitised), versions, diff, restore, the review workflow, and what the publisher
reads. Each answers its reply model, or a QueryResult refusal; content outside the caller's
scope is 404."""

from __future__ import annotations

import difflib
import uuid
from typing import Final

from igny8_contracts import QueryResult
from igny8_contracts.writer import (
    ChangeContentStatus,
    ContentApproved,
    ContentDiff,
    ContentPage,
    ContentStatusChanged,
    ContentVersionList,
    ContentView,
    DiffContentVersions,
    EditContent,
    GetContent,
    GetPublishableContent,
    ListContent,
    ListContentVersions,
    PublishableContent,
    RestoreContentVersion,
)
from igny8_writer.domain.html import html_lines, sanitize_html, word_count
from igny8_writer.domain.workflow import TransitionRefused, check_transition
from igny8_writer.service_layer.image_queries import images_for_publishing
from igny8_writer.service_layer.uow import WriterUnitOfWork

NOT_FOUND: Final = QueryResult.failure(404, "Content not found.")
VERSION_NOT_FOUND: Final = QueryResult.failure(404, "Version not found.")


async def list_content(query: ListContent, uow: WriterUnitOfWork) -> ContentPage:
    results, count = await uow.content.page(
        query.account_id, query.filters, query.ordering, query.page, query.page_size)
    return ContentPage(results=results, count=count)


async def get_content(query: GetContent, uow: WriterUnitOfWork) -> ContentView | QueryResult:
    found = await uow.content.get(query.account_id, query.content_id, query.visible_site_ids)
    return found or NOT_FOUND


async def _new_version(uow: WriterUnitOfWork, current: ContentView, account_id: uuid.UUID, *,
                       title: str, html: str, source: str, by: uuid.UUID | None,
                       restored_from: int | None = None) -> ContentView | QueryResult:
    version = current.version + 1
    await uow.versions.add(content_id=current.id, account_id=account_id, version=version,
                           title=title, html=html, source=source,
                           restored_from=restored_from, created_by=by)
    await uow.content.change(current.id, {"title": title, "html": html, "version": version,
                                          "word_count": word_count(html)})
    await uow.commit()
    return await uow.content.get(account_id, current.id) or NOT_FOUND


async def edit_content(request: EditContent, uow: WriterUnitOfWork) -> ContentView | QueryResult:
    """A changed title and/or HTML becomes the next version; a change to nothing makes none."""
    current = await uow.content.get(request.account_id, request.content_id,
                                    request.visible_site_ids, lock=True)
    if current is None:
        return NOT_FOUND
    html = current.html
    if request.html is not None:
        html = sanitize_html(request.html)
        if not html:
            return QueryResult.failure(400, "Invalid input.", {
                "html": ["Nothing is left once disallowed markup is removed."]})
    title = " ".join(request.title.split()) if request.title is not None else current.title
    if not title:
        return QueryResult.failure(400, "Invalid input.", {"title": ["may not be blank"]})
    if title == current.title and html == current.html:
        return current
    return await _new_version(uow, current, request.account_id, title=title, html=html,
                              source="edited", by=request.edited_by)


async def list_versions(query: ListContentVersions,
                        uow: WriterUnitOfWork) -> ContentVersionList | QueryResult:
    current = await uow.content.get(query.account_id, query.content_id, query.visible_site_ids)
    if current is None:
        return NOT_FOUND
    return ContentVersionList(content_id=current.id, current_version=current.version,
                              versions=await uow.versions.of_content(current.id))


async def diff_versions(query: DiffContentVersions,
                        uow: WriterUnitOfWork) -> ContentDiff | QueryResult:
    current = await uow.content.get(query.account_id, query.content_id, query.visible_site_ids)
    if current is None:
        return NOT_FOUND
    older = await uow.versions.get(current.id, query.from_version)
    newer = await uow.versions.get(current.id, query.to_version)
    if older is None or newer is None:
        return VERSION_NOT_FOUND
    lines = difflib.unified_diff(
        [f"title: {older.title}", *html_lines(older.html)],
        [f"title: {newer.title}", *html_lines(newer.html)],
        fromfile=f"version {older.version}", tofile=f"version {newer.version}", lineterm="")
    return ContentDiff(content_id=current.id, from_version=older.version,
                       to_version=newer.version, title_changed=older.title != newer.title,
                       diff="\n".join(lines))


async def restore_version(request: RestoreContentVersion,
                          uow: WriterUnitOfWork) -> ContentView | QueryResult:
    current = await uow.content.get(request.account_id, request.content_id,
                                    request.visible_site_ids, lock=True)
    if current is None:
        return NOT_FOUND
    earlier = await uow.versions.get(current.id, request.restore_version)
    if earlier is None:
        return VERSION_NOT_FOUND
    return await _new_version(uow, current, request.account_id, title=earlier.title,
                              html=earlier.html, source="restored", by=request.restored_by,
                              restored_from=earlier.version)


async def change_status(request: ChangeContentStatus,
                        uow: WriterUnitOfWork) -> ContentView | QueryResult:
    current = await uow.content.get(request.account_id, request.content_id,
                                    request.visible_site_ids, lock=True)
    if current is None:
        return NOT_FOUND
    try:
        check_transition(current.status, request.status)
    except TransitionRefused as refused:
        return QueryResult.failure(409, str(refused), {"status": [str(refused)]})
    await uow.content.change(current.id, {"status": request.status})
    uow.emit(ContentStatusChanged(account_id=request.account_id, site_id=current.site_id,
                                  content_id=current.id, status=request.status,
                                  previous=current.status), account_id=request.account_id)
    if request.status == "approved":
        uow.emit(ContentApproved(account_id=request.account_id, site_id=current.site_id,
                                 sector_id=current.sector_id, task_id=current.task_id,
                                 content_id=current.id), account_id=request.account_id)
    await uow.commit()
    return await uow.content.get(request.account_id, current.id) or NOT_FOUND


async def publishable(query: GetPublishableContent,
                      uow: WriterUnitOfWork) -> PublishableContent | QueryResult:
    row = await uow.content.row(query.account_id, query.content_id)
    if row is None:
        return NOT_FOUND
    images = await images_for_publishing(uow, query.account_id, row.id)
    return PublishableContent(
        content_id=row.id, account_id=row.account_id, site_id=row.site_id,
        sector_id=row.sector_id, task_id=row.task_id, cluster_id=row.cluster_id,
        keyword_ids=[uuid.UUID(k) for k in row.keyword_ids], title=row.title, slug=row.slug,
        html=row.html, excerpt=row.excerpt, meta_title=row.meta_title,
        meta_description=row.meta_description, focus_keyword=row.focus_keyword,
        categories=list(row.categories), tags=list(row.tags), status=row.status,
        version=row.version, images=images)
