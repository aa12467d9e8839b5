"""Keyword reads and writes asked for over request/reply; each answers its reply model, or a
refusal (``QueryResult.failure``).

A write that changes what a cluster's stats are computed from (a member's volume,
difficulty or intent, or a member deleted) recomputes those clusters' stats in the same
transaction. It emits KeywordsChanged only: ClustersChanged is for clusters edited by hand
(clustering runs, which also rewrite stats, do not emit it either)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from igny8_contracts import QueryResult
from igny8_contracts.planner import (
    AffectedKeywords,
    CreatedKeywords,
    CreateKeywords,
    DeleteKeywords,
    GetKeyword,
    KeywordPage,
    KeywordsChanged,
    KeywordView,
    ListKeywords,
    SetKeywordStatus,
    UpdateKeyword,
)
from igny8_planner.domain.cursors import Cursor, InvalidCursorError
from igny8_planner.domain.keywords import InvalidKeywordError, clean_keyword, normalize
from igny8_planner.service_layer.uow import PlannerUnitOfWork

NOT_FOUND = QueryResult.failure(404, "Keyword not found.")
# The keyword fields a cluster's stats are computed from (see summary.stats_of).
STATS_FIELDS = frozenset({"volume", "difficulty", "intent"})


def _invalid(field: str, message: str) -> QueryResult:
    return QueryResult.failure(400, "Invalid input.", {field: [message]})


async def list_keywords(query: ListKeywords, uow: PlannerUnitOfWork) -> KeywordPage | QueryResult:
    try:
        cursor = Cursor.decode(query.cursor, query.ordering) if query.cursor else None
    except InvalidCursorError as exc:
        return _invalid("cursor", str(exc))
    rows, more = await uow.keywords.page(query.account_id, query.filters, query.ordering, cursor,
                                         query.page_size)
    count = await uow.keywords.count(query.account_id, query.filters)

    def mark(direction: str, row: tuple[Any, Any]) -> str:
        return Cursor(query.ordering, "after" if direction == "after" else "before", row[1],
                      row[0].id).encode()

    backwards = cursor is not None and cursor.direction == "before"
    has_next = bool(rows) and (backwards or more)
    has_previous = bool(rows) and (more if backwards else cursor is not None)
    return KeywordPage(results=[view for view, _ in rows], count=count,
                       next_cursor=mark("after", rows[-1]) if has_next else None,
                       previous_cursor=mark("before", rows[0]) if has_previous else None)


async def get_keyword(query: GetKeyword, uow: PlannerUnitOfWork) -> KeywordView | QueryResult:
    found = await uow.keywords.get(query.account_id, query.keyword_id, query.visible_site_ids)
    return found if found is not None else NOT_FOUND


async def create_keywords(request: CreateKeywords,
                          uow: PlannerUnitOfWork) -> CreatedKeywords | QueryResult:
    """Creates the new ones; those the sector has (or the request repeats) are reported."""
    rows: dict[str, dict[str, Any]] = {}
    repeated: list[str] = []
    for index, new in enumerate(request.keywords):
        try:
            keyword = clean_keyword(new.keyword)
        except InvalidKeywordError as exc:
            return _invalid(f"keywords.{index}.keyword", str(exc))
        normalized = normalize(keyword)
        if normalized in rows:
            repeated.append(new.keyword)
            continue
        rows[normalized] = {
            "id": uuid.uuid4(), "account_id": request.account_id, "site_id": request.site_id,
            "sector_id": request.sector_id, "keyword": keyword, "normalized": normalized,
            "volume": new.volume, "difficulty": new.difficulty, "cpc": new.cpc,
            "intent": new.intent, "status": new.status, "source": "manual"}
    created = await uow.keywords.add_new(list(rows.values()))
    made = {normalize(view.keyword) for view in created}
    existing = [row["keyword"] for norm, row in rows.items() if norm not in made]
    if created:
        uow.emit(KeywordsChanged(account_id=request.account_id, change="created",
                                 keyword_ids=[view.id for view in created]),
                 account_id=request.account_id)
    await uow.commit()
    return CreatedKeywords(created=created, duplicates=existing + repeated)


async def update_keyword(request: UpdateKeyword, uow: PlannerUnitOfWork) -> KeywordView | QueryResult:
    current = await uow.keywords.get(request.account_id, request.keyword_id,
                                     request.visible_site_ids, lock=True)
    if current is None:
        return NOT_FOUND
    changes = request.changes
    values: dict[str, Any] = {name: getattr(changes, name) for name in changes.fields}
    if "status" in values and values["status"] is None:
        return _invalid("status", "status cannot be empty")
    if "keyword" in values:
        try:
            values["keyword"] = clean_keyword(values["keyword"] or "")
        except InvalidKeywordError as exc:
            return _invalid("keyword", str(exc))
        values["normalized"] = normalize(values["keyword"])
        if await uow.keywords.exists(current.sector_id, values["normalized"], current.id):
            return QueryResult.failure(409, "This sector already has that keyword.",
                                       {"keyword": ["already exists in this sector"]})
    updated = await uow.keywords.change(current.id, values)
    if STATS_FIELDS.intersection(values):
        # A keyword's cluster is not changed here (moving is a cluster edit), so the one
        # before is the one after.
        await _refresh_cluster_stats(uow, request.account_id,
                                     [current.cluster_id, updated.cluster_id])
    uow.emit(KeywordsChanged(account_id=request.account_id, change="updated",
                             keyword_ids=[updated.id]), account_id=request.account_id)
    await uow.commit()
    return updated


async def delete_keywords(request: DeleteKeywords, uow: PlannerUnitOfWork) -> AffectedKeywords:
    deleted = await uow.keywords.delete_many(request.account_id, request.keyword_ids,
                                             request.visible_site_ids)
    if deleted:
        await _refresh_cluster_stats(uow, request.account_id,
                                     [cluster_id for _, cluster_id in deleted])
        uow.emit(KeywordsChanged(account_id=request.account_id, change="deleted",
                                 keyword_ids=[keyword_id for keyword_id, _ in deleted]),
                 account_id=request.account_id)
    await uow.commit()
    return AffectedKeywords(count=len(deleted))


async def _refresh_cluster_stats(uow: PlannerUnitOfWork, account_id: uuid.UUID,
                                 cluster_ids: Iterable[uuid.UUID | None]) -> None:
    """Recompute the stats of the clusters (``None``s skipped) from their members now, in
    the caller's transaction. The clusters are locked first, in id order, as the cluster
    edits do: two writes to one cluster's members then recompute one after the other, the
    second seeing the first's committed members."""
    wanted = sorted({cluster_id for cluster_id in cluster_ids if cluster_id is not None})
    if not wanted:
        return
    locked = await uow.clusters.get_many(account_id, wanted, None, lock=True)
    await uow.clusters.refresh_stats([cluster.id for cluster in locked])


async def set_status(request: SetKeywordStatus, uow: PlannerUnitOfWork) -> AffectedKeywords:
    # Status is not among STATS_FIELDS: the clusters' stats stay as they are.
    changed = await uow.keywords.set_status(request.account_id, request.keyword_ids,
                                            request.status, request.visible_site_ids)
    if changed:
        uow.emit(KeywordsChanged(account_id=request.account_id, change="updated",
                                 keyword_ids=changed), account_id=request.account_id)
    await uow.commit()
    return AffectedKeywords(count=len(changed))
