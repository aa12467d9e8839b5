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
from igny8_gateway.entrypoints.deps import CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.writer_routes import ask_writer
from igny8_runtime.responses import ApiError, ok, paginated

router = api_router("/api/v1/system/author-profiles", "system")

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


@router.get("/", summary="The account's author profiles, by name; paginated")
async def list_profiles(request: Request, actor: CurrentActor, page: Paging,
                        is_active: Annotated[bool | None, Query()] = None) -> JSONResponse:
    query = ListAuthorProfiles(account_id=actor.account_id, is_active=is_active,
                               page=page.number, page_size=page.size)
    data = await ask_writer(request, query, actor)
    return paginated(request, data["results"], data["count"], page.number, page.size)


@router.post("/", status_code=201, summary="Create an author profile")
async def create_profile(request: Request, actor: CurrentActor,
                         body: ProfileFields) -> JSONResponse:
    ensure_can_write_content(actor)
    create = CreateAuthorProfile(account_id=actor.account_id,
                                 profile=NewAuthorProfile(**body.model_dump()))
    return ok(await ask_writer(request, create, actor), "Author profile created.",
              status_code=201)


@router.get("/{profile_id}/", summary="One author profile")
async def get_profile(request: Request, actor: CurrentActor,
                      profile_id: uuid.UUID) -> JSONResponse:
    query = GetAuthorProfile(account_id=actor.account_id, profile_id=profile_id)
    return ok(await ask_writer(request, query, actor))


async def _edit(request: Request, actor: Actor, profile_id: uuid.UUID,
                body: ProfileEdit) -> Any:
    ensure_can_write_content(actor)
    fields = sorted(body.model_fields_set)
    if not fields:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    changes = AuthorProfileChanges(fields=fields, **body.model_dump(include=set(fields)))
    update = UpdateAuthorProfile(account_id=actor.account_id, profile_id=profile_id,
                                 changes=changes)
    return await ask_writer(request, update, actor)


@router.patch("/{profile_id}/", summary="Change an author profile (the fields given)")
async def patch_profile(request: Request, actor: CurrentActor, profile_id: uuid.UUID,
                        body: ProfileEdit) -> JSONResponse:
    return ok(await _edit(request, actor, profile_id, body), "Author profile updated.")


@router.put("/{profile_id}/", summary="Change an author profile (the fields given)")
async def put_profile(request: Request, actor: CurrentActor, profile_id: uuid.UUID,
                      body: ProfileEdit) -> JSONResponse:
    return ok(await _edit(request, actor, profile_id, body), "Author profile updated.")


@router.delete("/{profile_id}/", summary="Delete an author profile")
async def delete_profile(request: Request, actor: CurrentActor,
                         profile_id: uuid.UUID) -> JSONResponse:
    ensure_can_write_content(actor)
    await ask_writer(request, DeleteAuthorProfile(account_id=actor.account_id,
                                                  profile_id=profile_id), actor)
    return ok(None, "Author profile deleted.")
