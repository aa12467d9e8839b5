"""Integration and publishing-record requests (``on_query(`` below)."""

from __future__ import annotations

from igny8_contracts import Envelope, QueryResult
from igny8_contracts.publisher import (
    CreateIntegration,
    DeleteIntegration,
    GetIntegration,
    GetPublishingRecord,
    ListIntegrations,
    ListPublishingRecords,
    TestConnection,
    UpdateIntegration,
    UpdateStructure,
)
from igny8_contracts.publisher_authors import GetDefaultAuthor, SetDefaultAuthor
from igny8_publisher.app import service
from igny8_publisher.service_layer import default_author, integrations, records
from igny8_publisher.settings import publisher_settings
from igny8_runtime.secrets import SecretBox
from igny8_runtime.service import ServiceRuntime


def secret_box(runtime: ServiceRuntime) -> SecretBox:
    if SecretBox not in runtime.provided:
        runtime.provide(SecretBox.from_settings())
    return runtime.get(SecretBox)


@service.on_query_legacy(CreateIntegration)
async def on_create_integration(request: CreateIntegration, envelope: Envelope,
                                runtime: ServiceRuntime) -> QueryResult:
    """Connects a site's WordPress (password encrypted at rest)."""
    async with runtime.uow() as uow:
        return await integrations.create_integration(request, uow, secret_box(runtime))


@service.on_query_legacy(UpdateIntegration)
async def on_update_integration(request: UpdateIntegration, envelope: Envelope,
                                runtime: ServiceRuntime) -> QueryResult:
    """Changes the given fields of an integration."""
    async with runtime.uow() as uow:
        return await integrations.update_integration(request, uow, secret_box(runtime))


@service.on_query_legacy(DeleteIntegration)
async def on_delete_integration(request: DeleteIntegration, envelope: Envelope,
                                runtime: ServiceRuntime) -> QueryResult:
    """Deletes an integration and its publishing records."""
    async with runtime.uow() as uow:
        return await integrations.delete_integration(request, uow)


@service.on_query_legacy(ListIntegrations)
async def on_list_integrations(query: ListIntegrations, envelope: Envelope,
                               runtime: ServiceRuntime) -> QueryResult:
    """A page of the account's integrations, newest first."""
    async with runtime.uow(read_only=True) as uow:
        return await integrations.list_integrations(query, uow)


@service.on_query_legacy(GetIntegration)
async def on_get_integration(query: GetIntegration, envelope: Envelope,
                             runtime: ServiceRuntime) -> QueryResult:
    """One integration in the caller's scope."""
    async with runtime.uow(read_only=True) as uow:
        return await integrations.get_integration(query, uow)


@service.on_query_legacy(TestConnection)
async def on_test_connection(request: TestConnection, envelope: Envelope,
                             runtime: ServiceRuntime) -> QueryResult:
    """Checks address, REST API, credentials and publishing rights, saying which failed."""
    async with runtime.uow() as uow:
        return await integrations.check_connection(request, uow, secret_box(runtime),
                                                   publisher_settings())


@service.on_query_legacy(UpdateStructure)
async def on_update_structure(request: UpdateStructure, envelope: Envelope,
                              runtime: ServiceRuntime) -> QueryResult:
    """Reads and keeps the site's categories, tags, authors and post types."""
    async with runtime.uow() as uow:
        return await integrations.update_structure(request, uow, secret_box(runtime),
                                                   publisher_settings())


@service.on_query_legacy(GetDefaultAuthor)
async def on_get_default_author(query: GetDefaultAuthor, envelope: Envelope,
                                runtime: ServiceRuntime) -> QueryResult:
    """The WordPress user the integration publishes under (None: the connecting user)."""
    async with runtime.uow(read_only=True) as uow:
        return await default_author.get_default_author(query, uow)


@service.on_query_legacy(SetDefaultAuthor)
async def on_set_default_author(request: SetDefaultAuthor, envelope: Envelope,
                                runtime: ServiceRuntime) -> QueryResult:
    """Chooses the default author among the cached structure's authors (or clears it)."""
    async with runtime.uow() as uow:
        return await default_author.set_default_author(request, uow)


@service.on_query_legacy(ListPublishingRecords)
async def on_list_records(query: ListPublishingRecords, envelope: Envelope,
                          runtime: ServiceRuntime) -> QueryResult:
    """A page of the account's publishing records, most recently changed first."""
    async with runtime.uow(read_only=True) as uow:
        return await records.list_records(query, uow)


@service.on_query_legacy(GetPublishingRecord)
async def on_get_record(query: GetPublishingRecord, envelope: Envelope,
                        runtime: ServiceRuntime) -> QueryResult:
    """One publishing record in the caller's scope."""
    async with runtime.uow(read_only=True) as uow:
        return await records.get_record(query, uow)
