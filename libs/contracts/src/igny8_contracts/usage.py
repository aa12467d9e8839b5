"""Usage events that services running AI operations emit; billing settles reservations by them.

The owner in the subject is the emitting service. ``reservation_key`` is the key the
operation's credits were reserved under (``ReserveCredits``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import Field

from igny8_contracts.messages import Event


class AiUsage(Event):
    """What one AI operation actually used (shared payload; not a contract by itself)."""

    operation_id: str = Field(min_length=1, max_length=200)
    reservation_key: str = Field(min_length=1, max_length=200)
    account_id: uuid.UUID
    operation_type: str = Field(min_length=1, max_length=50)
    quantity: int = Field(ge=0)
    provider: str = Field(default="", max_length=100)
    model: str = Field(default="", max_length=100)
    prompt_tokens: int = Field(default=0, ge=0)
    completion_tokens: int = Field(default=0, ge=0)
    cost_usd: Decimal = Field(default=Decimal("0"), ge=0)
    succeeded: bool = True


class PlannerAiUsageRecorded(AiUsage):
    subject_base = "evt.planner.ai.usage_recorded"


class WriterAiUsageRecorded(AiUsage):
    subject_base = "evt.writer.ai.usage_recorded"
