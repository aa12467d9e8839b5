"""Integration and publishing-record requests (``on_query(`` below)."""

from __future__ import annotations

from igny8_contracts import QueryResult
from igny8_contracts.publisher import (
    AffectedIntegrations,
    ConnectionTest,
    CreateIntegration,
    DeleteIntegration,
    GetIntegration,
    GetPublishingRecord,
    IntegrationPage,
    IntegrationView,
    ListIntegrations,
    ListPublishingRecords,
    PublishingRecordPage,
    PublishingRecordView,
    SiteStructure,
    TestConnection,
    UpdateIntegration,
    UpdateStructure,
)
from igny8_contracts.publisher_authors import DefaultAuthor, GetDefaultAuthor, SetDefaultAuthor
from igny8_publisher.app import service
from igny8_publisher.service_layer import default_author, integrations, records
from igny8_publisher.service_layer.uow import PublisherUnitOfWork
from igny8_publisher.settings import publisher_settings
from igny8_runtime.handling import HandlerContext
from igny8_runtime.secrets import SecretBox


@service.on_query(CreateIntegration, read_only=False)
async def on_create_integration(request: CreateIntegration, uow: PublisherUnitOfWork,
                                ctx: HandlerContext) -> IntegrationView | QueryResult:
    """Connects a site's WordPress (password encrypted at rest)."""
    return await integrations.create_integration(request, uow, ctx.get(SecretBox))


@service.on_query(UpdateIntegration, read_only=False)
async def on_update_integration(request: UpdateIntegration, uow: PublisherUnitOfWork,
                                ctx: HandlerContext) -> IntegrationView | QueryResult:
    """Changes the given fields of an integration."""
    return await integrations.update_integration(request, uow, ctx.get(SecretBox))


@service.on_query(DeleteIntegration, read_only=False)
async def on_delete_integration(request: DeleteIntegration, uow: PublisherUnitOfWork,
                                ctx: HandlerContext) -> AffectedIntegrations | QueryResult:
    """Deletes an integration and its publishing records."""
    return await integrations.delete_integration(request, uow)


@service.on_query(ListIntegrations, read_only=True)
async def on_list_integrations(query: ListIntegrations, uow: PublisherUnitOfWork,
                               ctx: HandlerContext) -> IntegrationPage:
    """A page of the account's integrations, newest first."""
    return await integrations.list_integrations(query, uow)


@service.on_query(GetIntegration, read_only=True)
async def on_get_integration(query: GetIntegration, uow: PublisherUnitOfWork,
                             ctx: HandlerContext) -> IntegrationView | QueryResult:
    """One integration in the caller's scope."""
    return await integrations.get_integration(query, uow)


@service.on_query(TestConnection, read_only=False)
async def on_test_connection(request: TestConnection, uow: PublisherUnitOfWork,
                             ctx: HandlerContext) -> ConnectionTest | QueryResult:
    """Checks address, REST API, credentials and publishing rights, saying which failed."""
    return await integrations.check_connection(request, uow, ctx.get(SecretBox),
                                               publisher_settings())


@service.on_query(UpdateStructure, read_only=False)
async def on_update_structure(request: UpdateStructure, uow: PublisherUnitOfWork,
                              ctx: HandlerContext) -> SiteStructure | QueryResult:
    """Reads and keeps the site's categories, tags, authors and post types."""
    return await integrations.update_structure(request, uow, ctx.get(SecretBox),
                                               publisher_settings())


@service.on_query(GetDefaultAuthor, read_only=True)
async def on_get_default_author(query: GetDefaultAuthor, uow: PublisherUnitOfWork,
                                ctx: HandlerContext) -> DefaultAuthor | QueryResult:
    """The WordPress user the integration publishes under (None: the connecting user)."""
    return await default_author.get_default_author(query, uow)


@service.on_query(SetDefaultAuthor, read_only=False)
async def on_set_default_author(request: SetDefaultAuthor, uow: PublisherUnitOfWork,
                                ctx: HandlerContext) -> DefaultAuthor | QueryResult:
    """Chooses the default author among the cached structure's authors (or clears it)."""
    return await default_author.set_default_author(request, uow)


@service.on_query(ListPublishingRecords, read_only=True)
async def on_list_records(query: ListPublishingRecords, uow: PublisherUnitOfWork,
                          ctx: HandlerContext) -> PublishingRecordPage:
    """A page of the account's publishing records, most recently changed first."""
    return await records.list_records(query, uow)


@service.on_query(GetPublishingRecord, read_only=True)
async def on_get_record(query: GetPublishingRecord, uow: PublisherUnitOfWork,
                        ctx: HandlerContext) -> PublishingRecordView | QueryResult:
    """One publishing record in the caller's scope."""
    return await records.get_record(query, uow)
