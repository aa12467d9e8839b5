"""Reservations (holds) of credits for running AI operations (pure)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class HoldStatus(StrEnum):
    OPEN = "open"
    CAPTURED = "captured"
    RELEASED = "released"
    EXPIRED = "expired"


@dataclass
class Hold:
    id: uuid.UUID
    account_id: uuid.UUID
    reservation_key: str
    operation_type: str
    credits_held: int
    status: HoldStatus
    expires_at: datetime
    operation_id: str | None = None
    credits_captured: int | None = None


class InsufficientCredits(Exception):  # noqa: N818
    def __init__(self, available: int, cost: int) -> None:
        super().__init__(f"This operation needs {cost} credits; {available} are available.")
        self.available = available
        self.cost = cost


def available_credits(total_credits: int, held_credits: int) -> int:
    return total_credits - held_credits


def ensure_affordable(total_credits: int, held_credits: int, cost: int) -> None:
    available = available_credits(total_credits, held_credits)
    if cost > available:
        raise InsufficientCredits(max(0, available), cost)


class SettlementRefused(Exception):  # noqa: N818
    """The usage report can never settle its hold (dead-letter it with this reason)."""


def check_capture(hold: Hold, operation_id: str, cost: int) -> bool:
    """Whether the hold should be captured for ``cost`` (False: already settled by this same
    operation, nothing to do). Raises ``SettlementRefused`` for a report that cannot apply."""
    if hold.status is HoldStatus.CAPTURED:
        if hold.operation_id == operation_id:
            return False
        raise SettlementRefused(
            f"reservation {hold.reservation_key!r} was already settled by operation "
            f"{hold.operation_id!r}")
    if cost > hold.credits_held:
        raise SettlementRefused(
            f"actual cost of {cost} credits exceeds the hold of {hold.credits_held} credits "
            f"on reservation {hold.reservation_key!r}")
    return True
