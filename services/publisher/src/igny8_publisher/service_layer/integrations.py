"""Integration requests: create, read, change, delete, test the connection, read the site's
structure. The application password is encrypted before it is stored and never answered."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from igny8_contracts import QueryResult
from igny8_contracts.publisher import (
    AffectedIntegrations,
    ConnectionTest,
    CreateIntegration,
    DeleteIntegration,
    GetIntegration,
    IntegrationPage,
    IntegrationView,
    ListIntegrations,
    SiteStructure,
    StructureItem,
    TestConnection,
    UpdateIntegration,
    UpdateStructure,
)
from igny8_publisher.adapters.wordpress import WordPressClient, WordPressError
from igny8_publisher.domain.site_urls import UnsafeUrl, normalize_site_url
from igny8_publisher.service_layer.connections import test_connection, wordpress_client
from igny8_publisher.service_layer.uow import PublisherUnitOfWork
from igny8_publisher.service_layer.views import integration_view, new_id
from igny8_publisher.settings import PublisherSettings
from igny8_runtime.secrets import SecretBox

NOT_FOUND = QueryResult.failure(404, "Integration not found.")


def _url_or_error(url: str) -> str | QueryResult:
    try:
        return normalize_site_url(url)
    except UnsafeUrl as exc:
        return QueryResult.failure(400, "Invalid input.", {"url": [str(exc)]})


async def create_integration(request: CreateIntegration, uow: PublisherUnitOfWork,
                             box: SecretBox) -> IntegrationView | QueryResult:
    new = request.integration
    url = _url_or_error(new.url)
    if isinstance(url, QueryResult):
        return url
    row = await uow.integrations.add({
        "id": new_id(), "account_id": request.account_id, "site_id": new.site_id,
        "platform": "wordpress", "url": url, "username": new.username.strip(),
        "app_password_encrypted": box.encrypt(new.app_password), "is_active": new.is_active,
        "status": "active", "auto_publish": new.auto_publish,
        "publish_status": new.publish_status})
    if row is None:
        return QueryResult.failure(409, "This site already has a WordPress integration.",
                                   {"site_id": ["already connected; change or delete that one"]})
    await uow.commit()
    return integration_view(row)


async def update_integration(request: UpdateIntegration, uow: PublisherUnitOfWork,
                             box: SecretBox) -> IntegrationView | QueryResult:
    if await uow.integrations.get(request.account_id, request.integration_id,
                                  request.visible_site_ids, for_update=True) is None:
        return NOT_FOUND
    changes = request.changes
    values: dict[str, Any] = {}
    for field in changes.fields:
        value = getattr(changes, field)
        if value is None:
            return QueryResult.failure(400, "Invalid input.", {field: ["This field may not be null."]})
        if field == "url":
            url = _url_or_error(value)
            if isinstance(url, QueryResult):
                return url
            values["url"] = url
        elif field == "app_password":
            values["app_password_encrypted"] = box.encrypt(value)
        else:
            values[field] = value.strip() if isinstance(value, str) else value
    if {"url", "username", "app_password"} & set(changes.fields):
        # New credentials: whatever needed attention may be fixed; the next test tells.
        values.update(status="active", last_error="")
    row = await uow.integrations.change(request.integration_id, values)
    await uow.commit()
    return integration_view(row)


async def delete_integration(request: DeleteIntegration,
                             uow: PublisherUnitOfWork) -> AffectedIntegrations | QueryResult:
    if await uow.integrations.get(request.account_id, request.integration_id,
                                  request.visible_site_ids, for_update=True) is None:
        return NOT_FOUND
    await uow.integrations.delete(request.integration_id)
    await uow.commit()
    return AffectedIntegrations(count=1)


async def list_integrations(query: ListIntegrations, uow: PublisherUnitOfWork) -> IntegrationPage:
    rows, count = await uow.integrations.page(
        query.account_id, query.visible_site_ids, query.site_id, query.page, query.page_size)
    return IntegrationPage(results=[integration_view(r) for r in rows], count=count)


async def get_integration(query: GetIntegration,
                          uow: PublisherUnitOfWork) -> IntegrationView | QueryResult:
    row = await uow.integrations.get(query.account_id, query.integration_id,
                                     query.visible_site_ids)
    return NOT_FOUND if row is None else integration_view(row)


async def check_connection(request: TestConnection, uow: PublisherUnitOfWork, box: SecretBox,
                           settings: PublisherSettings) -> ConnectionTest | QueryResult:
    """Tests saved credentials (recording the outcome) or unsaved ones."""
    row: dict[str, Any] | None = None
    if request.integration_id is not None:
        row = await uow.integrations.get(request.account_id, request.integration_id,
                                   request.visible_site_ids)
        if row is None:
            return NOT_FOUND
        url, username = row["url"], row["username"]
        password = box.decrypt(row["app_password_encrypted"])
    else:
        missing = {f: ["This field is required."] for f in ("url", "username", "app_password")
                   if getattr(request, f) is None}
        if missing:
            return QueryResult.failure(400, "Invalid input.", missing)
        checked = _url_or_error(request.url or "")
        if isinstance(checked, QueryResult):
            return checked
        url, username, password = checked, request.username or "", request.app_password or ""
    async with wordpress_client(settings, url, username, password) as client:
        outcome = await test_connection(client)
    if row is not None:
        credentials_failed = any(c.name in ("credentials", "can_publish") and c.ok is False
                                 for c in outcome.checks)
        await uow.integrations.change(row["id"], {
            "last_checked_at": datetime.now(UTC),
            "status": "needs_attention" if credentials_failed else (
                "active" if outcome.ok else row["status"]),
            "last_error": "" if outcome.ok else outcome.message})
        await uow.commit()
    return outcome


def _items(raw: list[dict[str, Any]]) -> list[StructureItem]:
    return [StructureItem(id=i.get("id"), name=str(i.get("name", "")), slug=str(i.get("slug", "")),
                          count=i.get("count")) for i in raw]


async def read_structure(client: WordPressClient) -> SiteStructure:
    fields = {"_fields": "id,name,slug,count"}
    categories = await client.list_all("/wp/v2/categories", fields)
    tags = await client.list_all("/wp/v2/tags", fields)
    authors = await client.list_all("/wp/v2/users", {"who": "authors", "_fields": "id,name,slug"})
    types = await client.post_types()
    post_types = [StructureItem(id=None, name=str(t.get("name", slug)), slug=slug)
                  for slug, t in types.items() if isinstance(t, dict)]
    return SiteStructure(categories=_items(categories), tags=_items(tags),
                         authors=_items(authors), post_types=post_types,
                         synced_at=datetime.now(UTC))


async def update_structure(request: UpdateStructure, uow: PublisherUnitOfWork, box: SecretBox,
                           settings: PublisherSettings) -> SiteStructure | QueryResult:
    row = await uow.integrations.get(request.account_id, request.integration_id,
                                     request.visible_site_ids)
    if row is None:
        return NOT_FOUND
    password = box.decrypt(row["app_password_encrypted"])
    try:
        async with wordpress_client(settings, row["url"], row["username"], password) as client:
            structure = await read_structure(client)
    except WordPressError as exc:
        if exc.needs_attention:
            await uow.integrations.change(row["id"], {"status": "needs_attention",
                                                      "last_error": exc.message})
            await uow.commit()
        status = 400 if exc.kind == "unsafe_url" else 502
        return QueryResult.failure(status, f"Could not read the WordPress site: {exc.message}")
    await uow.integrations.change(row["id"], {"structure": structure.model_dump(mode="json")})
    await uow.commit()
    return structure
