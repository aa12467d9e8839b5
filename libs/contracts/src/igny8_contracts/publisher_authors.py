"""The post author an integration publishes under: a WordPress user id, chosen among the
authors of the site's cached structure (``UpdateStructure`` reads them). Without one, WordPress
makes the application password's user the author.

Kept apart from ``IntegrationView`` (whose v1 schema is frozen): the default author is read and
set through these two messages; the publisher applies it to every post it creates or updates.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from igny8_contracts.messages import Query, Request
from igny8_contracts.publisher import StructureItem


class DefaultAuthor(BaseModel):
    """``author_id`` (None: WordPress's choice, the connecting user) and, when the cached
    structure knows it, that author's name and slug."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    integration_id: uuid.UUID
    author_id: int | None
    author: StructureItem | None


class GetDefaultAuthor(Query[DefaultAuthor]):
    """404 when the integration is not the account's (or on a site the caller does not see)."""

    subject_base = "qry.publisher.integrations.default_author.get"
    account_id: uuid.UUID
    integration_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class SetDefaultAuthor(Request[DefaultAuthor]):
    """400 (on ``author_id``) when the site's structure was never read or has no author with
    that id; None clears the choice."""

    subject_base = "req.publisher.integrations.default_author.set"
    account_id: uuid.UUID
    integration_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    author_id: int | None = Field(default=None, ge=1)
