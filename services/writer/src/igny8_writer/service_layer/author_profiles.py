"""Author profiles (name, description, tone, language, structure template): the voice and
language articles are written in. Account-wide; another account's profile is 404."""

from __future__ import annotations

import uuid
from typing import Final

from igny8_contracts import QueryResult
from igny8_contracts.writer import (
    AffectedTasks,
    AuthorProfilePage,
    AuthorProfileView,
    CreateAuthorProfile,
    DeleteAuthorProfile,
    GetAuthorProfile,
    ListAuthorProfiles,
    UpdateAuthorProfile,
)
from igny8_writer.service_layer.uow import WriterUnitOfWork

NOT_FOUND: Final = QueryResult.failure(404, "Author profile not found.")


async def list_profiles(query: ListAuthorProfiles, uow: WriterUnitOfWork) -> AuthorProfilePage:
    results, count = await uow.author_profiles.page(
        query.account_id, query.is_active, query.page, query.page_size)
    return AuthorProfilePage(results=results, count=count)


async def get_profile(query: GetAuthorProfile,
                      uow: WriterUnitOfWork) -> AuthorProfileView | QueryResult:
    return await uow.author_profiles.get(query.account_id, query.profile_id) or NOT_FOUND


async def create_profile(request: CreateAuthorProfile,
                         uow: WriterUnitOfWork) -> AuthorProfileView | QueryResult:
    profile_id = uuid.uuid4()
    await uow.author_profiles.add({"id": profile_id, "account_id": request.account_id,
                                   **request.profile.model_dump()})
    await uow.commit()
    return await uow.author_profiles.get(request.account_id, profile_id) or NOT_FOUND


async def update_profile(request: UpdateAuthorProfile,
                         uow: WriterUnitOfWork) -> AuthorProfileView | QueryResult:
    profiles = uow.author_profiles
    if await profiles.get(request.account_id, request.profile_id) is None:
        return NOT_FOUND
    changes = request.changes
    values = changes.model_dump(include={str(f) for f in changes.fields})
    nullable = {"description": "", "structure_template": {}}
    for field, value in list(values.items()):
        if value is None:
            if field not in nullable:
                return QueryResult.failure(400, "Invalid input.", {field: ["may not be null"]})
            values[field] = nullable[field]
    await profiles.change(request.profile_id, values)
    await uow.commit()
    return await profiles.get(request.account_id, request.profile_id) or NOT_FOUND


async def delete_profile(request: DeleteAuthorProfile,
                         uow: WriterUnitOfWork) -> AffectedTasks | QueryResult:
    count = await uow.author_profiles.delete(request.account_id, request.profile_id)
    await uow.commit()
    return AffectedTasks(count=count) if count else NOT_FOUND
