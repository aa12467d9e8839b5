"""What routes depend on: the security objects, a unit of work, the signed-in actor, paging, and
``Bus`` (the one typed way to ask the services that own the data)."""

from __future__ import annotations

import uuid
from typing import Annotated, TypeVar

from fastapi import Depends, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.requests import Request

from igny8_contracts import Answered
from igny8_gateway.domain.authentication import Unauthenticated
from igny8_gateway.domain.model import Account, Actor, User
from igny8_gateway.domain.policies import ensure_may_change_anything
from igny8_gateway.security import Security
from igny8_gateway.service_layer import auth
from igny8_gateway.service_layer.common import Page
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime import rpc
from igny8_runtime.http import runtime_of
from igny8_runtime.service import ServiceRuntime

R = TypeVar("R", bound=BaseModel)


def security_of(request: Request) -> Security:
    """Built once at start-up (see app.py)."""
    return runtime_of(request).get(Security)


# Dependencies are ``async def`` even when they do not wait: FastAPI runs a plain ``def`` in a
# worker thread, a hand-off that costs more than the function itself.
async def unit_of_work(request: Request) -> GatewayUnitOfWork:
    uow: GatewayUnitOfWork = runtime_of(request).uow()
    return uow


_bearer = HTTPBearer(auto_error=False, description="The access token from login/ or refresh/.")


async def current_identity(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> tuple[User, Account]:
    if credentials is None:
        raise Unauthenticated("Authentication credentials were not provided.")
    reader: GatewayUnitOfWork = runtime_of(request).uow(read_only=True)
    return await auth.authenticate(reader, security_of(request), credentials.credentials)


READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def current_actor(
    request: Request, identity: Annotated[tuple[User, Account], Depends(current_identity)],
) -> Actor:
    """The signed-in actor. A viewer may change nothing that needs the account's actor (the
    role matrix), so a viewer's write is refused here, before its body is validated:
    permission first, then input (a viewer learns nothing from a 400 about a body it may
    never send)."""
    actor = Actor.from_user(identity[0])
    if request.method not in READING_METHODS:
        ensure_may_change_anything(actor)
    return actor


async def profile_editor(
    user_id: uuid.UUID, identity: Annotated[tuple[User, Account], Depends(current_identity)],
) -> Actor:
    """The actor changing user ``user_id``: the one write a viewer may make is to their own
    profile (their name; the users service refuses a change of their own role); any other is
    refused before its body is validated, as ``current_actor`` does."""
    actor = Actor.from_user(identity[0])
    if user_id != actor.user_id:
        ensure_may_change_anything(actor)
    return actor


# Far past any list's end, and small enough that no offset overflows PostgreSQL's bigint.
MAX_PAGE = 1_000_000


async def paging(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page:
    return Page(page, page_size)


class Bus:
    """Asks a service for the signed-in account: ``task = await bus.ask(GetTask(...))`` is the
    owner's reply model (``TaskView``), validated. The owner's refusal answers the client with
    the same status, message and field errors; no answer in time answers 503 + Retry-After; an
    answer that breaks the contract answers 502 (see ``igny8_runtime.http``)."""

    def __init__(self, runtime: ServiceRuntime, account_id: uuid.UUID | None) -> None:
        self.runtime = runtime
        self.account_id = account_id

    def for_account(self, account_id: uuid.UUID) -> Bus:
        """The same bus for another account (developers acting on an account they name)."""
        return Bus(self.runtime, account_id)

    async def ask(self, query: Answered[R], *, timeout: float | None = None) -> R:
        return await rpc.ask(self.runtime.broker, query, account_id=self.account_id,
                             source=self.runtime.service.name,
                             timeout=timeout or self.runtime.settings.rpc_timeout_seconds)


async def actor_bus(request: Request, actor: Annotated[Actor, Depends(current_actor)]) -> Bus:
    return Bus(runtime_of(request), actor.account_id)


async def anonymous_bus(request: Request) -> Bus:
    """For public routes (webhooks): the owner finds the account itself."""
    return Bus(runtime_of(request), None)


CurrentActor = Annotated[Actor, Depends(current_actor)]
ProfileEditor = Annotated[Actor, Depends(profile_editor)]
ActorBus = Annotated[Bus, Depends(actor_bus)]
AnonymousBus = Annotated[Bus, Depends(anonymous_bus)]
CurrentIdentity = Annotated[tuple[User, Account], Depends(current_identity)]
Uow = Annotated[GatewayUnitOfWork, Depends(unit_of_work)]
Paging = Annotated[Page, Depends(paging)]
SecurityDep = Annotated[Security, Depends(security_of)]
