"""Publishing records: list and read (the account's, in the caller's visible sites)."""

from __future__ import annotations

from igny8_contracts import QueryResult
from igny8_contracts.publisher import (
    GetPublishingRecord,
    ListPublishingRecords,
    PublishingRecordPage,
    PublishingRecordView,
)
from igny8_publisher.service_layer.uow import PublisherUnitOfWork
from igny8_publisher.service_layer.views import record_view


async def list_records(query: ListPublishingRecords,
                       uow: PublisherUnitOfWork) -> PublishingRecordPage:
    rows, count = await uow.records.page(
        query.account_id, query.visible_site_ids,
        {"integration_id": query.integration_id, "content_id": query.content_id,
         "status": query.status}, query.page, query.page_size)
    return PublishingRecordPage(results=[record_view(r) for r in rows], count=count)


async def get_record(query: GetPublishingRecord,
                     uow: PublisherUnitOfWork) -> PublishingRecordView | QueryResult:
    row = await uow.records.get(query.account_id, query.record_id, query.visible_site_ids)
    if row is None:
        return QueryResult.failure(404, "Publishing record not found.")
    return record_view(row)
