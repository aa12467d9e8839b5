"""``/api/v1/auth/sectors/``: sectors of the sites the caller can see (five active per site)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_gateway.entrypoints.bodies import Body, Name
from igny8_gateway.entrypoints.deps import CurrentActor, Paging, Uow
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.views import SectorView, sector_view
from igny8_gateway.service_layer import sectors
from igny8_runtime.responses import Listing, Ok, ok, paginated

router = api_router("/api/v1/auth/sectors", "sectors")
routers = (router,)


class NewSectorBody(Body):
    site_id: uuid.UUID
    name: Name


class SectorChangesBody(Body):
    name: Name | None = None
    is_active: bool | None = None


@router.get("/", response_model=Listing[SectorView],
            summary="List sectors, optionally of one site")
async def list_sectors(
    request: Request, actor: CurrentActor, uow: Uow, page: Paging,
    site_id: Annotated[uuid.UUID | None, Query()] = None,
) -> JSONResponse:
    listing = await sectors.list_sectors(uow, actor, page, site_id)
    return paginated(request, [sector_view(s) for s in listing.items], listing.count,
                     page.number, page.size)


@router.post("/", status_code=201, response_model=Ok[SectorView],
             summary="Add a sector to a site")
async def create_sector(body: NewSectorBody, actor: CurrentActor, uow: Uow) -> JSONResponse:
    sector = await sectors.create_sector(uow, actor, site_id=body.site_id, name=body.name)
    return ok(sector_view(sector), "Sector created.", status_code=201)


@router.get("/{sector_id}/", response_model=Ok[SectorView], summary="Read a sector")
async def get_sector(sector_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(sector_view(await sectors.get_sector(uow, actor, sector_id)))


@router.patch("/{sector_id}/", response_model=Ok[SectorView],
              summary="Rename, deactivate or reactivate a sector")
async def update_sector(
    sector_id: uuid.UUID, body: SectorChangesBody, actor: CurrentActor, uow: Uow
) -> JSONResponse:
    changes = sectors.SectorChanges(name=body.name, is_active=body.is_active)
    sector = await sectors.update_sector(uow, actor, sector_id, changes)
    return ok(sector_view(sector), "Sector updated.")


@router.delete("/{sector_id}/", response_model=Ok[None], summary="Delete a sector")
async def delete_sector(sector_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    await sectors.delete_sector(uow, actor, sector_id)
    return ok(None, "Sector deleted.")
