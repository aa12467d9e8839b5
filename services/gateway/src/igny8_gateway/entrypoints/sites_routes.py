"""``/api/v1/auth/sites/``: the account's sites."""

from __future__ import annotations

import uuid

from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_gateway.entrypoints.bodies import Body, Domain, Name
from igny8_gateway.entrypoints.deps import CurrentActor, Paging, Uow
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.views import SiteView, site_view
from igny8_gateway.service_layer import sites
from igny8_runtime.responses import Listing, Ok, ok, paginated

router = api_router("/api/v1/auth/sites", "sites")
routers = (router,)


class NewSiteBody(Body):
    name: Name
    domain: Domain | None = None


class SiteChangesBody(Body):
    name: Name | None = None
    domain: Domain | None = None
    is_active: bool | None = None


@router.get("/", response_model=Listing[SiteView], summary="List the sites the caller can see")
async def list_sites(request: Request, actor: CurrentActor, uow: Uow, page: Paging) -> JSONResponse:
    listing = await sites.list_sites(uow, actor, page)
    return paginated(request, [site_view(s) for s in listing.items], listing.count, page.number,
                     page.size)


@router.post("/", status_code=201, response_model=Ok[SiteView],
             summary="Add a site (owners and admins, within the plan)")
async def create_site(body: NewSiteBody, actor: CurrentActor, uow: Uow) -> JSONResponse:
    site = await sites.create_site(uow, actor, name=body.name, domain=body.domain)
    return ok(site_view(site), "Site created.", status_code=201)


@router.get("/{site_id}/", response_model=Ok[SiteView], summary="Read a site")
async def get_site(site_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(site_view(await sites.get_site(uow, actor, site_id)))


@router.patch("/{site_id}/", response_model=Ok[SiteView],
              summary="Change a site (null or empty domain removes it)")
async def update_site(
    site_id: uuid.UUID, body: SiteChangesBody, actor: CurrentActor, uow: Uow
) -> JSONResponse:
    domain_given = "domain" in body.model_fields_set
    changes = sites.SiteChanges(name=body.name,
                                domain=(body.domain or "") if domain_given else None,
                                is_active=body.is_active)
    return ok(site_view(await sites.update_site(uow, actor, site_id, changes)), "Site updated.")


@router.delete("/{site_id}/", response_model=Ok[None],
               summary="Delete a site with its sectors and access grants")
async def delete_site(site_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    await sites.delete_site(uow, actor, site_id)
    return ok(None, "Site deleted.")
