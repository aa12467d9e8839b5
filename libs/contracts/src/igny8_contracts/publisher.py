"""Publisher's contracts: WordPress integrations, publishing articles, publishing records.

The gateway checks that the site belongs to the caller (and is visible to them) and passes
the sites the caller may see as ``visible_site_ids`` (``None``: every site of the account); the
publisher filters every read and write by ``account_id`` and that scope (outside it: 404).
Application passwords travel only inbound (create/update/test); no reply ever carries one.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from igny8_contracts.messages import Command, Event, Query, Request

PublishStatus = Literal["draft", "publish", "future"]
IntegrationStatus = Literal["active", "needs_attention"]
RecordStatus = Literal["publishing", "published", "failed"]
IntegrationField = Literal["url", "username", "app_password", "auto_publish", "publish_status",
                           "is_active"]
CheckName = Literal["address", "rest_api", "credentials", "can_publish"]

MAX_PUBLISH = 50
MAX_URL_LENGTH = 2000


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------------ integrations


class StructureItem(_Data):
    """A category, tag, author or post type of the WordPress site (``id`` is WordPress's;
    post types have none and use ``slug``)."""

    id: int | None
    name: str
    slug: str
    count: int | None = None


class SiteStructure(_Data):
    categories: list[StructureItem]
    tags: list[StructureItem]
    authors: list[StructureItem]
    post_types: list[StructureItem]
    synced_at: datetime


class IntegrationView(_Data):
    id: uuid.UUID
    site_id: uuid.UUID
    platform: Literal["wordpress"]
    url: str
    username: str
    has_app_password: bool
    is_active: bool
    status: IntegrationStatus
    last_error: str
    auto_publish: bool
    publish_status: PublishStatus
    last_checked_at: datetime | None
    structure: SiteStructure | None
    created_at: datetime
    updated_at: datetime


class IntegrationPage(_Data):
    results: list[IntegrationView]
    count: int


class NewIntegration(_Data):
    site_id: uuid.UUID
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)
    username: str = Field(min_length=1, max_length=255)
    app_password: str = Field(min_length=1, max_length=255)
    is_active: bool = True
    auto_publish: bool = False
    publish_status: PublishStatus = "publish"


class CreateIntegration(Request[IntegrationView]):
    """One WordPress integration per site (409 when the site has one)."""

    subject_base = "req.publisher.integrations.create"
    account_id: uuid.UUID
    integration: NewIntegration


class IntegrationChanges(_Data):
    fields: list[IntegrationField] = Field(min_length=1)
    url: str | None = Field(default=None, min_length=1, max_length=MAX_URL_LENGTH)
    username: str | None = Field(default=None, min_length=1, max_length=255)
    app_password: str | None = Field(default=None, min_length=1, max_length=255)
    is_active: bool | None = None
    auto_publish: bool | None = None
    publish_status: PublishStatus | None = None


class UpdateIntegration(Request[IntegrationView]):
    subject_base = "req.publisher.integrations.update"
    account_id: uuid.UUID
    integration_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    changes: IntegrationChanges


class AffectedIntegrations(_Data):
    count: int


class DeleteIntegration(Request[AffectedIntegrations]):
    subject_base = "req.publisher.integrations.delete"
    account_id: uuid.UUID
    integration_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class ListIntegrations(Query[IntegrationPage]):
    subject_base = "qry.publisher.integrations.list"
    account_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    site_id: uuid.UUID | None = None
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=100)


class GetIntegration(Query[IntegrationView]):
    subject_base = "qry.publisher.integrations.get"
    account_id: uuid.UUID
    integration_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class ConnectionCheck(_Data):
    """One step of a connection test; steps after a failed one are not run (``ok`` None)."""

    name: CheckName
    ok: bool | None
    message: str


class ConnectionTest(_Data):
    ok: bool
    message: str
    checks: list[ConnectionCheck]
    wordpress_user: str | None
    plugin_detected: bool


class TestConnection(Request[ConnectionTest]):
    """Test a saved integration (``integration_id``), or unsaved credentials (``url``,
    ``username``, ``app_password``). Testing a saved one records the outcome on it (a failure
    of the credentials marks it ``needs_attention``; a success makes it ``active``)."""

    subject_base = "req.publisher.integrations.test_connection"
    account_id: uuid.UUID
    integration_id: uuid.UUID | None = None
    visible_site_ids: list[uuid.UUID] | None = None
    url: str | None = Field(default=None, min_length=1, max_length=MAX_URL_LENGTH)
    username: str | None = Field(default=None, min_length=1, max_length=255)
    app_password: str | None = Field(default=None, min_length=1, max_length=255)


class UpdateStructure(Request[SiteStructure]):
    """Read the site's categories, tags, authors and post types and keep them on the
    integration. A WordPress that cannot be read answers 502 with the reason."""

    subject_base = "req.publisher.integrations.structure.update"
    account_id: uuid.UUID
    integration_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


# ------------------------------------------------------------------------------ publishing


class PublishContent(Command):
    """Publish (create or update) each content in the integration's WordPress. Progress and
    the per-article outcome arrive as operation updates of ``operation_id``."""

    subject_base = "cmd.publisher.content.publish"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    integration_id: uuid.UUID
    content_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_PUBLISH)
    status: PublishStatus
    publish_at: datetime | None = None


class ContentPublished(Event):
    subject_base = "evt.publisher.content.published"
    account_id: uuid.UUID
    site_id: uuid.UUID
    content_id: uuid.UUID
    integration_id: uuid.UUID
    external_id: str
    external_url: str
    wordpress_status: str
    content_version: int


class PublishFailed(Event):
    subject_base = "evt.publisher.content.publish_failed"
    account_id: uuid.UUID
    site_id: uuid.UUID
    content_id: uuid.UUID
    integration_id: uuid.UUID
    reason: str
    retryable: bool


# ------------------------------------------------------------------------------ records


class PublishingRecordView(_Data):
    id: uuid.UUID
    integration_id: uuid.UUID
    site_id: uuid.UUID
    content_id: uuid.UUID
    content_version: int | None
    external_id: str | None
    external_url: str | None
    status: RecordStatus
    wordpress_status: str | None
    errors: list[str]
    attempts: int
    operation_id: uuid.UUID | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime


class PublishingRecordPage(_Data):
    results: list[PublishingRecordView]
    count: int


class ListPublishingRecords(Query[PublishingRecordPage]):
    subject_base = "qry.publisher.records.list"
    account_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    integration_id: uuid.UUID | None = None
    content_id: uuid.UUID | None = None
    status: RecordStatus | None = None
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=100)


class GetPublishingRecord(Query[PublishingRecordView]):
    subject_base = "qry.publisher.records.get"
    account_id: uuid.UUID
    record_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
