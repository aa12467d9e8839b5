"""A stored site-access grant: the ``SiteAccess`` value plus what the API addresses it by."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from igny8_gateway.domain.model import SiteAccess, utcnow


@dataclass(frozen=True)
class SiteAccessGrant:
    id: uuid.UUID
    access: SiteAccess
    created_at: datetime = field(default_factory=utcnow)

    @property
    def account_id(self) -> uuid.UUID:
        return self.access.account_id

    @property
    def site_id(self) -> uuid.UUID:
        return self.access.site_id

    @property
    def user_id(self) -> uuid.UUID:
        return self.access.user_id
