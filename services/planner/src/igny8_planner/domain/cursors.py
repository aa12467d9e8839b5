"""Opaque keyset cursors: the sort value and id of the row a page starts after (or ends
before), bound to the ordering they were made for."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Direction = Literal["after", "before"]
SortValue = str | int | datetime


class InvalidCursorError(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    ordering: str
    direction: Direction
    value: SortValue
    id: uuid.UUID

    def encode(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, datetime) else self.value
        raw = json.dumps([self.ordering, self.direction, value, str(self.id)])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, ordering: str) -> Cursor:
        try:
            raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            made_for, direction, value, row_id = raw
            if made_for != ordering or direction not in ("after", "before"):
                raise InvalidCursorError("the cursor belongs to another ordering")
            if ordering.lstrip("-") == "created_at":
                value = datetime.fromisoformat(value)
            elif not isinstance(value, str | int) or isinstance(value, bool):
                raise InvalidCursorError("bad cursor value")
            return cls(ordering, direction, value, uuid.UUID(row_id))
        except InvalidCursorError:
            raise
        except (ValueError, TypeError) as exc:
            raise InvalidCursorError("the cursor is not valid") from exc
