"""The writer's publishable content, asked over request/reply (``GetPublishableContent``)."""

from __future__ import annotations

import uuid
from typing import Protocol

from faststream.nats import NatsBroker

from igny8_contracts.writer import GetPublishableContent, PublishableContent
from igny8_runtime import rpc


class ContentUnavailable(Exception):  # noqa: N818
    def __init__(self, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class ContentSource(Protocol):
    async def publishable(self, account_id: uuid.UUID, content_id: uuid.UUID) -> PublishableContent:
        """The article as it should be published; ``ContentUnavailable`` otherwise."""
        ...


class WriterContentSource:
    def __init__(self, broker: NatsBroker, timeout: float) -> None:
        self.broker = broker
        self.timeout = timeout

    async def publishable(self, account_id: uuid.UUID, content_id: uuid.UUID) -> PublishableContent:
        query = GetPublishableContent(account_id=account_id, content_id=content_id)
        try:
            return await rpc.ask(self.broker, query, account_id=account_id, source="publisher",
                                 timeout=self.timeout)
        except rpc.Refused as exc:
            if exc.status == 404:
                raise ContentUnavailable("The content does not exist (or is not the account's).",
                                         False) from exc
            raise ContentUnavailable(f"The writer refused: {exc.message}", exc.status >= 500) from exc
        except rpc.InvalidAnswer as exc:
            raise ContentUnavailable(f"The writer's answer could not be read ({exc.reason}).",
                                     True) from exc
        except rpc.OwnerUnavailable as exc:
            raise ContentUnavailable(f"The writer did not answer ({exc.reason}).", True) from exc
