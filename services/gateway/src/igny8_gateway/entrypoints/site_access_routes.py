"""``/api/v1/auth/site-access/``: which editors and viewers may work on which sites."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import CurrentActor, Paging, Uow
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.views import SiteAccessView, grant_view
from igny8_gateway.service_layer import site_access
from igny8_runtime.responses import Listing, Ok, ok, paginated

router = api_router("/api/v1/auth/site-access", "site access")
routers = (router,)


class GrantBody(Body):
    site_id: uuid.UUID
    user_id: uuid.UUID


@router.get("/", response_model=Listing[SiteAccessView],
            summary="List grants (owners and admins: all; others: their own)")
async def list_grants(
    request: Request, actor: CurrentActor, uow: Uow, page: Paging,
    user_id: Annotated[uuid.UUID | None, Query()] = None,
    site_id: Annotated[uuid.UUID | None, Query()] = None,
) -> JSONResponse:
    listing = await site_access.list_grants(uow, actor, page, user_id=user_id, site_id=site_id)
    return paginated(request, [grant_view(g) for g in listing.items], listing.count,
                     page.number, page.size)


@router.post("/", status_code=201, response_model=Ok[SiteAccessView],
             summary="Grant an editor or viewer a site")
async def grant_access(body: GrantBody, actor: CurrentActor, uow: Uow) -> JSONResponse:
    grant = await site_access.grant_access(uow, actor, site_id=body.site_id,
                                           user_id=body.user_id)
    return ok(grant_view(grant), "Site access granted.", status_code=201)


@router.get("/{grant_id}/", response_model=Ok[SiteAccessView], summary="Read a grant")
async def get_grant(grant_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(grant_view(await site_access.get_grant(uow, actor, grant_id)))


@router.delete("/{grant_id}/", response_model=Ok[None], summary="Revoke a grant")
async def revoke_access(grant_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    await site_access.revoke_access(uow, actor, grant_id)
    return ok(None, "Site access revoked.")
