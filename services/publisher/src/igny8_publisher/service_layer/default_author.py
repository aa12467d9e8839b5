"""The integration's default post author: read it, or set it to one of the authors of the
site's cached structure (validated there, so a typo never reaches WordPress as a 400 at
publishing time)."""

from __future__ import annotations

from typing import Any

from igny8_contracts import QueryResult
from igny8_contracts.publisher import SiteStructure, StructureItem
from igny8_contracts.publisher_authors import DefaultAuthor, GetDefaultAuthor, SetDefaultAuthor
from igny8_publisher.service_layer.integrations import NOT_FOUND
from igny8_publisher.service_layer.uow import PublisherUnitOfWork


def _authors(row: dict[str, Any]) -> list[StructureItem] | None:
    structure = row.get("structure")
    return SiteStructure.model_validate(structure).authors if structure else None


def default_author_view(row: dict[str, Any]) -> DefaultAuthor:
    author_id = row.get("default_author_id")
    known = next((a for a in _authors(row) or [] if a.id == author_id), None)
    return DefaultAuthor(integration_id=row["id"], author_id=author_id,
                         author=known if author_id is not None else None)


async def get_default_author(query: GetDefaultAuthor,
                             uow: PublisherUnitOfWork) -> DefaultAuthor | QueryResult:
    row = await uow.integrations.get(query.account_id, query.integration_id,
                                     query.visible_site_ids)
    return NOT_FOUND if row is None else default_author_view(row)


async def set_default_author(request: SetDefaultAuthor,
                             uow: PublisherUnitOfWork) -> DefaultAuthor | QueryResult:
    row = await uow.integrations.get(request.account_id, request.integration_id,
                                     request.visible_site_ids, for_update=True)
    if row is None:
        return NOT_FOUND
    if request.author_id is not None:
        authors = _authors(row)
        if authors is None:
            return QueryResult.failure(400, "Invalid input.", {"author_id": [
                "The site's authors are not known yet: update the structure first."]})
        if request.author_id not in {a.id for a in authors}:
            return QueryResult.failure(400, "Invalid input.", {"author_id": [
                f"The site has no author with id {request.author_id} (as last read; update "
                "the structure if the user is new)."]})
    row = await uow.integrations.change(row["id"], {"default_author_id": request.author_id})
    await uow.commit()
    return default_author_view(row)
