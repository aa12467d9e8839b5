"""Operations as the gateway shows them: the latest known state of a long-running job.

Updates come from the service running the job and may arrive late, twice or out of order;
``accepts`` decides whether an update replaces what we have.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from igny8_contracts.operations import FINAL_STATES, OperationUpdate
from igny8_gateway.domain.model import Actor, utcnow
from igny8_gateway.domain.policies import can_see_all_sites


@dataclass(frozen=True)
class Operation:
    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    state: str
    phase: str
    percent: int
    site_id: uuid.UUID | None = None
    message: str = ""
    result: dict[str, Any] | None = None
    error: str | None = None
    cost: int | None = None
    sequence: int = 0
    requested_by: uuid.UUID | None = None
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @classmethod
    def accepted(
        cls, operation_id: uuid.UUID, account_id: uuid.UUID, kind: str, *,
        site_id: uuid.UUID | None, requested_by: uuid.UUID | None, message: str,
    ) -> Operation:
        """What the gateway records when it has queued the command (sequence 0: any update
        from the running service replaces it)."""
        return cls(id=operation_id, account_id=account_id, kind=kind, state="accepted",
                   phase="QUEUED", percent=0, site_id=site_id, message=message,
                   requested_by=requested_by)

    @classmethod
    def from_update(cls, update: OperationUpdate) -> Operation:
        return cls(id=update.operation_id, account_id=update.account_id,
                   kind=update.operation_type, state=update.state, phase=update.phase,
                   percent=update.percent, site_id=update.site_id, message=update.message,
                   result=update.result, error=update.error, cost=update.cost,
                   sequence=update.sequence)

    def accepts(self, update: OperationUpdate) -> bool:
        """Newer (higher sequence) updates of the same account's operation win; once final,
        only another final update may replace it."""
        return (
            update.account_id == self.account_id
            and update.sequence > self.sequence
            and not (self.is_final and not update.is_final)
        )

    def updated_by(self, update: OperationUpdate) -> Operation:
        """This operation after ``update`` (what it is, who asked for it and when stay as
        they were)."""
        newer = Operation.from_update(update)
        return replace(newer, kind=self.kind, site_id=newer.site_id or self.site_id,
                       requested_by=self.requested_by, created_at=self.created_at,
                       updated_at=utcnow())


def can_see_operation(
    actor: Actor, operation: Operation, granted_site_ids: frozenset[uuid.UUID] | None
) -> bool:
    """Owners and admins see the account's operations; editors and viewers those on sites
    granted to them (``granted_site_ids``) and those they started themselves."""
    if operation.account_id != actor.account_id:
        return False
    if can_see_all_sites(actor) or granted_site_ids is None:
        return True
    return operation.requested_by == actor.user_id or (
        operation.site_id is not None and operation.site_id in granted_site_ids)
