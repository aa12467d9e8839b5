"""``/api/v1/integration/integrations/``: a site's WordPress (URL, user name, application
password — write-only, encrypted by the publisher), its connection test and its structure.
The gateway checks the site is the caller's and visible to them; the publisher scopes every id
by account and visible sites (another account's integration is 404). Owners and admins manage
integrations and choose the default post author (one of the structure's authors); editors may
test them and read the structure; viewers only read.

``/api/v1/integration/plugin/``: the bridge plugin's zip to upload in WordPress (Plugins → Add
New → Upload Plugin), as the publisher stored it in the object store.

``{id}/connection-key/`` (owners and admins): a new webhook secret for the WordPress bridge
plugin, answered once inside the connection key the plugin's settings page takes (issuing again
replaces the secret). The key carries the webhook URL: ``IGNY8_PUBLIC_URL`` (the address
WordPress reaches the gateway at) or else this request's. ``GET`` the same path tells whether a
key is issued and what its webhooks delivered (anyone who sees the site); ``DELETE`` revokes it.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.responses import JSONResponse, Response
from pydantic import Field
from starlette.requests import Request

from igny8_contracts.publisher import (
    MAX_URL_LENGTH,
    ConnectionTest,
    CreateIntegration,
    DeleteIntegration,
    GetIntegration,
    IntegrationChanges,
    IntegrationView,
    ListIntegrations,
    NewIntegration,
    PublishStatus,
    SiteStructure,
    TestConnection,
    UpdateIntegration,
    UpdateStructure,
)
from igny8_contracts.publisher_authors import DefaultAuthor, GetDefaultAuthor, SetDefaultAuthor
from igny8_contracts.publisher_sync import (
    ConnectionKey,
    ConnectionKeyStatus,
    GetConnectionKeyStatus,
    GetPluginPackage,
    IssueConnectionKey,
    RevokeConnectionKey,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_manage_sites, ensure_can_write_content
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import ActorBus, Bus, CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_gateway.entrypoints.webhook_settings import webhook_url
from igny8_runtime.http import runtime_of
from igny8_runtime.responses import ApiError, Listing, Ok, ok, paginated

router = api_router("/api/v1/integration/integrations", "integration")
plugin_router = api_router("/api/v1/integration/plugin", "integration")
routers = (router, plugin_router)

# WordPress can be slow: a connection test or a structure read makes several calls to it.
WORDPRESS_TIMEOUT_SECONDS = 60.0


class IntegrationBody(Body):
    site_id: uuid.UUID
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)
    username: str = Field(min_length=1, max_length=255)
    app_password: str = Field(min_length=1, max_length=255)
    is_active: bool = True
    auto_publish: bool = False
    publish_status: PublishStatus = "publish"


class IntegrationEdit(Body):
    url: str | None = Field(default=None, min_length=1, max_length=MAX_URL_LENGTH)
    username: str | None = Field(default=None, min_length=1, max_length=255)
    app_password: str | None = Field(default=None, min_length=1, max_length=255)
    is_active: bool | None = None
    auto_publish: bool | None = None
    publish_status: PublishStatus | None = None


class DefaultAuthorBody(Body):
    author_id: int | None = Field(ge=1, description="A WordPress user id among the cached "
                                  "structure's authors; null: WordPress's own choice")


class ConnectionBody(Body):
    integration_id: uuid.UUID | None = None
    site_id: uuid.UUID | None = None
    url: str | None = Field(default=None, min_length=1, max_length=MAX_URL_LENGTH)
    username: str | None = Field(default=None, min_length=1, max_length=255)
    app_password: str | None = Field(default=None, min_length=1, max_length=255)


@router.get("/", response_model=Listing[IntegrationView],
            summary="The account's WordPress integrations (filter by site_id); paginated")
async def list_integrations(request: Request, actor: CurrentActor, bus: ActorBus, page: Paging,
                            site_id: uuid.UUID | None = None) -> JSONResponse:
    visible = await scope_of(request, actor, site_id=site_id)
    found = await bus.ask(ListIntegrations(
        account_id=actor.account_id, visible_site_ids=visible, site_id=site_id,
        page=page.number, page_size=page.size))
    return paginated(request, found.results, found.count, page.number, page.size)


@router.post("/", status_code=201, response_model=Ok[IntegrationView],
             summary="Connect a site's WordPress (one per site)")
async def create_integration(request: Request, actor: CurrentActor, bus: ActorBus,
                             body: IntegrationBody) -> JSONResponse:
    await scope_of(request, actor, site_id=body.site_id)
    ensure_can_manage_sites(actor)
    created = await bus.ask(CreateIntegration(
        account_id=actor.account_id, integration=NewIntegration(**body.model_dump())))
    return ok(created, "Integration created.", status_code=201)


@router.post("/test-connection/", response_model=Ok[ConnectionTest],
             summary="Test a saved integration (integration_id) or unsaved credentials "
                     "(url, username, app_password); says which check failed")
async def check_wordpress_connection(request: Request, actor: CurrentActor, bus: ActorBus,
                                     body: ConnectionBody) -> JSONResponse:
    visible = await scope_of(request, actor, site_id=body.site_id)
    ensure_can_write_content(actor)
    report = await bus.ask(TestConnection(
        account_id=actor.account_id, visible_site_ids=visible,
        **body.model_dump(exclude={"site_id"})), timeout=WORDPRESS_TIMEOUT_SECONDS)
    return ok(report, report.message)


@router.get("/{integration_id}/", response_model=Ok[IntegrationView],
            summary="One integration (never its password)")
async def get_integration(request: Request, actor: CurrentActor, bus: ActorBus,
                          integration_id: uuid.UUID) -> JSONResponse:
    return ok(await bus.ask(GetIntegration(
        account_id=actor.account_id, integration_id=integration_id,
        visible_site_ids=await scope_of(request, actor))))


async def _edit(request: Request, actor: Actor, bus: Bus, integration_id: uuid.UUID,
                body: IntegrationEdit) -> IntegrationView:
    visible = await scope_of(request, actor)
    ensure_can_manage_sites(actor)
    fields = sorted(body.model_fields_set)
    if not fields:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    changes = IntegrationChanges(fields=fields, **body.model_dump(include=set(fields)))
    return await bus.ask(UpdateIntegration(
        account_id=actor.account_id, integration_id=integration_id, visible_site_ids=visible,
        changes=changes))


@router.patch("/{integration_id}/", response_model=Ok[IntegrationView],
              summary="Change an integration (the fields given)")
async def patch_integration(request: Request, actor: CurrentActor, bus: ActorBus,
                            integration_id: uuid.UUID, body: IntegrationEdit) -> JSONResponse:
    return ok(await _edit(request, actor, bus, integration_id, body), "Integration updated.")


@router.put("/{integration_id}/", response_model=Ok[IntegrationView],
            summary="Change an integration (the fields given)")
async def put_integration(request: Request, actor: CurrentActor, bus: ActorBus,
                          integration_id: uuid.UUID, body: IntegrationEdit) -> JSONResponse:
    return ok(await _edit(request, actor, bus, integration_id, body), "Integration updated.")


@router.delete("/{integration_id}/", response_model=Ok[None],
               summary="Delete an integration and its publishing records")
async def delete_integration(request: Request, actor: CurrentActor, bus: ActorBus,
                             integration_id: uuid.UUID) -> JSONResponse:
    visible = await scope_of(request, actor)
    ensure_can_manage_sites(actor)
    await bus.ask(DeleteIntegration(
        account_id=actor.account_id, integration_id=integration_id, visible_site_ids=visible))
    return ok(None, "Integration deleted.")


@router.post("/{integration_id}/test-connection/", response_model=Ok[ConnectionTest],
             summary="Test a saved integration: REST API, credentials, publishing rights")
async def check_integration_connection(request: Request, actor: CurrentActor, bus: ActorBus,
                                       integration_id: uuid.UUID) -> JSONResponse:
    visible = await scope_of(request, actor)
    ensure_can_write_content(actor)
    report = await bus.ask(TestConnection(
        account_id=actor.account_id, integration_id=integration_id, visible_site_ids=visible),
        timeout=WORDPRESS_TIMEOUT_SECONDS)
    return ok(report, report.message)


@router.post("/{integration_id}/update-structure/", response_model=Ok[SiteStructure],
             summary="Read and keep the site's categories, tags, authors and post types")
async def update_structure(request: Request, actor: CurrentActor, bus: ActorBus,
                           integration_id: uuid.UUID) -> JSONResponse:
    visible = await scope_of(request, actor)
    ensure_can_write_content(actor)
    structure = await bus.ask(UpdateStructure(
        account_id=actor.account_id, integration_id=integration_id, visible_site_ids=visible),
        timeout=WORDPRESS_TIMEOUT_SECONDS)
    return ok(structure, "Site structure updated.")


@router.get("/{integration_id}/default-author/", response_model=Ok[DefaultAuthor],
            summary="The WordPress user posts are published under (null: the connecting user)")
async def get_default_author(request: Request, actor: CurrentActor, bus: ActorBus,
                             integration_id: uuid.UUID) -> JSONResponse:
    return ok(await bus.ask(GetDefaultAuthor(
        account_id=actor.account_id, integration_id=integration_id,
        visible_site_ids=await scope_of(request, actor))))


@router.put("/{integration_id}/default-author/", response_model=Ok[DefaultAuthor],
            summary="Choose the default post author among the site's authors (read by "
                    "update-structure); null clears it. Owners and admins")
async def set_default_author(request: Request, actor: CurrentActor, bus: ActorBus,
                             integration_id: uuid.UUID, body: DefaultAuthorBody) -> JSONResponse:
    visible = await scope_of(request, actor)
    ensure_can_manage_sites(actor)
    chosen = await bus.ask(SetDefaultAuthor(
        account_id=actor.account_id, integration_id=integration_id, visible_site_ids=visible,
        author_id=body.author_id))
    return ok(chosen, "Default author updated.")


@router.post(
    "/{integration_id}/connection-key/", status_code=201, response_model=Ok[ConnectionKey],
    summary="A new connection key for the WordPress bridge plugin (shown once; replaces the "
            "integration's previous webhook secret). Owners and admins")
async def issue_connection_key(request: Request, actor: CurrentActor, bus: ActorBus,
                               integration_id: uuid.UUID) -> JSONResponse:
    ensure_can_manage_sites(actor)
    key = await bus.ask(IssueConnectionKey(
        account_id=actor.account_id, integration_id=integration_id,
        visible_site_ids=await scope_of(request, actor), webhook_url=webhook_url(request)))
    return ok(key, "Paste this key into WordPress: Settings → IGNY8. It is shown only once.",
              status_code=201)


@router.get(
    "/{integration_id}/connection-key/", response_model=Ok[ConnectionKeyStatus],
    summary="Whether the integration has a connection key (never the key) and what its "
            "webhooks delivered")
async def get_connection_key_status(request: Request, actor: CurrentActor, bus: ActorBus,
                                    integration_id: uuid.UUID) -> JSONResponse:
    return ok(await bus.ask(GetConnectionKeyStatus(
        account_id=actor.account_id, integration_id=integration_id,
        visible_site_ids=await scope_of(request, actor))))


@router.delete(
    "/{integration_id}/connection-key/", response_model=Ok[ConnectionKeyStatus],
    summary="Revoke the connection key: the plugin's webhooks are refused until a new key is "
            "issued. Owners and admins")
async def revoke_connection_key(request: Request, actor: CurrentActor, bus: ActorBus,
                                integration_id: uuid.UUID) -> JSONResponse:
    ensure_can_manage_sites(actor)
    status = await bus.ask(RevokeConnectionKey(
        account_id=actor.account_id, integration_id=integration_id,
        visible_site_ids=await scope_of(request, actor)))
    return ok(status, "Connection key revoked.")


PLUGIN_RESPONSES: dict[int | str, dict[str, Any]] = {200: {
    "description": "The plugin's zip (a folder igny8-bridge/), as WordPress's Upload Plugin takes",
    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
    "headers": {"X-Plugin-Version": {"description": "The plugin's version",
                                     "schema": {"type": "string"}}},
}}


@plugin_router.get("/", response_class=Response, responses=PLUGIN_RESPONSES,
                   summary="The WordPress bridge plugin as an installable zip")
async def download_bridge_plugin(request: Request, actor: CurrentActor, bus: ActorBus) -> Response:
    package = await bus.ask(GetPluginPackage(account_id=actor.account_id))
    store = await runtime_of(request).js.object_store(package.bucket)
    stored = await store.get(package.object_name)
    return Response(stored.data or b"", media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{package.filename}"',
        "X-Plugin-Version": package.version, "Cache-Control": "private, no-cache",
        "ETag": f'"{package.sha256}"', "X-Content-Type-Options": "nosniff"})
