"""Author profiles (name, description, tone, language, structure template): the voice and
language articles are written in. Account-wide; another account's profile is 404."""

from __future__ import annotations

import uuid
from typing import Any, Final

from igny8_contracts import QueryResult
from igny8_contracts.writer import (
    AffectedTasks,
    AuthorProfilePage,
    CreateAuthorProfile,
    DeleteAuthorProfile,
    GetAuthorProfile,
    ListAuthorProfiles,
    UpdateAuthorProfile,
)
from igny8_runtime.uow import UnitOfWork
from igny8_writer.adapters.content_repository import AuthorProfileRepository

NOT_FOUND: Final = QueryResult.failure(404, "Author profile not found.")


def _json(model: Any) -> QueryResult:
    return QueryResult.success(model.model_dump(mode="json"))


async def list_profiles(query: ListAuthorProfiles, uow: UnitOfWork) -> QueryResult:
    results, count = await AuthorProfileRepository(uow.session).page(
        query.account_id, query.is_active, query.page, query.page_size)
    return _json(AuthorProfilePage(results=results, count=count))


async def get_profile(query: GetAuthorProfile, uow: UnitOfWork) -> QueryResult:
    found = await AuthorProfileRepository(uow.session).get(query.account_id, query.profile_id)
    return _json(found) if found else NOT_FOUND


async def create_profile(request: CreateAuthorProfile, uow: UnitOfWork) -> QueryResult:
    repository = AuthorProfileRepository(uow.session)
    profile_id = uuid.uuid4()
    await repository.add({"id": profile_id, "account_id": request.account_id,
                          **request.profile.model_dump()})
    await uow.commit()
    return _json(await repository.get(request.account_id, profile_id))


async def update_profile(request: UpdateAuthorProfile, uow: UnitOfWork) -> QueryResult:
    repository = AuthorProfileRepository(uow.session)
    if await repository.get(request.account_id, request.profile_id) is None:
        return NOT_FOUND
    changes = request.changes
    values = changes.model_dump(include={str(f) for f in changes.fields})
    nullable = {"description": "", "structure_template": {}}
    for field, value in list(values.items()):
        if value is None:
            if field not in nullable:
                return QueryResult.failure(400, "Invalid input.", {field: ["may not be null"]})
            values[field] = nullable[field]
    await repository.change(request.profile_id, values)
    await uow.commit()
    return _json(await repository.get(request.account_id, request.profile_id))


async def delete_profile(request: DeleteAuthorProfile, uow: UnitOfWork) -> QueryResult:
    count = await AuthorProfileRepository(uow.session).delete(request.account_id,
                                                              request.profile_id)
    await uow.commit()
    return _json(AffectedTasks(count=count)) if count else NOT_FOUND
