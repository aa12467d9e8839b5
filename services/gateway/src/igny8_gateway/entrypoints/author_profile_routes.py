"""``/api/v1/system/author-profiles/``: the voices articles are written in (name, description,
tone, language as a BCP-47 tag, structure template). The writer owns them; account-wide,
viewers only read, another account's profile is 404."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.requests import Request

from igny8_contracts.writer import (
    LANGUAGE_PATTERN,
    MAX_DESCRIPTION_LENGTH,
    AuthorProfileChanges,
    AuthorProfileView,
    CreateAuthorProfile,
    DeleteAuthorProfile,
    GetAuthorProfile,
    ListAuthorProfiles,
    NewAuthorProfile,
    UpdateAuthorProfile,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import ActorBus, Bus, CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_runtime.responses import ApiError, Listing, Ok, ok, paginated

router = api_router("/api/v1/system/author-profiles", "system")
routers = (router,)

LANGUAGE_HELP = "BCP-47 language tag, e.g. en, en-GB, de, pt-BR"


class ProfileFields(Body):
    name: str = Field(min_length=1, max_length=255)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    tone: str = Field(default="professional", min_length=1, max_length=100)
    language: str = Field(default="en", max_length=35, pattern=LANGUAGE_PATTERN,
                          description=LANGUAGE_HELP)
    structure_template: dict[str, Any] = Field(default_factory=dict)
    is_active: bool = True


class ProfileEdit(Body):
    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    tone: str | None = Field(default=None, min_length=1, max_length=100)
    language: str | None = Field(default=None, max_length=35, pattern=LANGUAGE_PATTERN,
                                 description=LANGUAGE_HELP)
    structure_template: dict[str, Any] | None = None
    is_active: bool | None = None


@router.get("/", response_model=Listing[AuthorProfileView],
            summary="The account's author profiles, by name; paginated")
async def list_author_profiles(request: Request, actor: CurrentActor, bus: ActorBus, page: Paging,
                               is_active: Annotated[bool | None, Query()] = None) -> JSONResponse:
    found = await bus.ask(ListAuthorProfiles(account_id=actor.account_id, is_active=is_active,
                                             page=page.number, page_size=page.size))
    return paginated(request, found.results, found.count, page.number, page.size)


@router.post("/", status_code=201, response_model=Ok[AuthorProfileView],
             summary="Create an author profile")
async def create_author_profile(actor: CurrentActor, bus: ActorBus,
                                body: ProfileFields) -> JSONResponse:
    ensure_can_write_content(actor)
    created = await bus.ask(CreateAuthorProfile(account_id=actor.account_id,
                                                profile=NewAuthorProfile(**body.model_dump())))
    return ok(created, "Author profile created.", status_code=201)


@router.get("/{profile_id}/", response_model=Ok[AuthorProfileView], summary="One author profile")
async def get_author_profile(actor: CurrentActor, bus: ActorBus,
                             profile_id: uuid.UUID) -> JSONResponse:
    return ok(await bus.ask(GetAuthorProfile(account_id=actor.account_id, profile_id=profile_id)))


async def _edit(actor: Actor, bus: Bus, profile_id: uuid.UUID,
                body: ProfileEdit) -> AuthorProfileView:
    ensure_can_write_content(actor)
    fields = sorted(body.model_fields_set)
    if not fields:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    changes = AuthorProfileChanges(fields=fields, **body.model_dump(include=set(fields)))
    return await bus.ask(UpdateAuthorProfile(account_id=actor.account_id, profile_id=profile_id,
                                             changes=changes))


@router.patch("/{profile_id}/", response_model=Ok[AuthorProfileView],
              summary="Change an author profile (the fields given)")
async def patch_author_profile(actor: CurrentActor, bus: ActorBus, profile_id: uuid.UUID,
                               body: ProfileEdit) -> JSONResponse:
    return ok(await _edit(actor, bus, profile_id, body), "Author profile updated.")


@router.put("/{profile_id}/", response_model=Ok[AuthorProfileView],
            summary="Change an author profile (the fields given)")
async def put_author_profile(actor: CurrentActor, bus: ActorBus, profile_id: uuid.UUID,
                             body: ProfileEdit) -> JSONResponse:
    return ok(await _edit(actor, bus, profile_id, body), "Author profile updated.")


@router.delete("/{profile_id}/", response_model=Ok[None], summary="Delete an author profile")
async def delete_author_profile(actor: CurrentActor, bus: ActorBus,
                                profile_id: uuid.UUID) -> JSONResponse:
    ensure_can_write_content(actor)
    await bus.ask(DeleteAuthorProfile(account_id=actor.account_id, profile_id=profile_id))
    return ok(None, "Author profile deleted.")
