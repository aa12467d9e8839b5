"""What the writer's handlers take from their ``HandlerContext`` beyond ``ctx.get``: units of
work of their own (typed as the writer's) and the account's AI settings."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from igny8_ai.account import AccountAiResolved, account_ai
from igny8_runtime.handling import HandlerContext
from igny8_runtime.secrets import SecretBox
from igny8_writer.service_layer.uow import WriterUnitOfWork
from igny8_writer.settings import WriterSettings


def new_uows(ctx: HandlerContext) -> Callable[[], WriterUnitOfWork]:
    """Opens units of work of their own (work committed task by task)."""

    def new_uow() -> WriterUnitOfWork:
        uow = ctx.new_uow()
        assert isinstance(uow, WriterUnitOfWork)
        return uow

    return new_uow


async def ai_for_account(ctx: HandlerContext, account_id: uuid.UUID) -> AccountAiResolved:
    """The account's provider and prompt overrides (the gateway's AI settings), else the
    writer's default provider. Raises ``igny8_ai.account.AccountAiUnavailable``."""
    return await account_ai(ctx.ask, account_id, ctx.get(WriterSettings).ai_provider,
                            ctx.get(SecretBox))
