"""Publishing records: list and read (the account's, in the caller's visible sites)."""

from __future__ import annotations

from igny8_contracts import QueryResult
from igny8_contracts.publisher import GetPublishingRecord, ListPublishingRecords, PublishingRecordPage
from igny8_publisher.adapters.integration_repository import RecordRepository
from igny8_publisher.service_layer.views import record_view
from igny8_runtime.uow import UnitOfWork


async def list_records(query: ListPublishingRecords, uow: UnitOfWork) -> QueryResult:
    rows, count = await RecordRepository(uow.session).page(
        query.account_id, query.visible_site_ids,
        {"integration_id": query.integration_id, "content_id": query.content_id,
         "status": query.status}, query.page, query.page_size)
    return QueryResult.success(PublishingRecordPage(results=[record_view(r) for r in rows],
                                                    count=count))


async def get_record(query: GetPublishingRecord, uow: UnitOfWork) -> QueryResult:
    row = await RecordRepository(uow.session).get(query.account_id, query.record_id,
                                                  query.visible_site_ids)
    if row is None:
        return QueryResult.failure(404, "Publishing record not found.")
    return QueryResult.success(record_view(row))
