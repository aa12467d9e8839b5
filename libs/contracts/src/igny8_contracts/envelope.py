"""The one envelope every message travels in (aligned with CloudEvents 1.0)."""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from igny8_contracts.messages import Message

M = TypeVar("M", bound=Message)


class Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    specversion: Literal["1.0"] = "1.0"
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    source: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: Literal["application/json"] = "application/json"
    subject: str
    account_id: uuid.UUID | None = None
    correlation_id: str
    causation_id: str | None = None
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        message: Message,
        *,
        source: str,
        correlation_id: str,
        account_id: uuid.UUID | None = None,
        causation_id: str | None = None,
    ) -> Envelope:
        return cls(
            type=message.type_name(),
            source=source,
            subject=message.subject(),
            account_id=account_id,
            correlation_id=correlation_id,
            causation_id=causation_id,
            data=message.model_dump(mode="json"),
        )

    def open(self, message_type: builtins.type[M]) -> M:
        """Validate ``data`` as ``message_type`` (raises pydantic.ValidationError)."""
        return message_type.model_validate(self.data)
