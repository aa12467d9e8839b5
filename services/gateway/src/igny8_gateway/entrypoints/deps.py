"""What routes depend on: the security objects, a unit of work, the signed-in actor, paging."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import Request

from igny8_gateway.domain.authentication import Unauthenticated
from igny8_gateway.domain.model import Account, Actor, User
from igny8_gateway.security import Security
from igny8_gateway.service_layer import auth
from igny8_gateway.service_layer.common import Page
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.http import runtime_of


def security_of(request: Request) -> Security:
    """Built once at start-up (see app.py)."""
    return runtime_of(request).get(Security)


def unit_of_work(request: Request) -> GatewayUnitOfWork:
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


async def current_actor(
    identity: Annotated[tuple[User, Account], Depends(current_identity)],
) -> Actor:
    return Actor.from_user(identity[0])


def paging(
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page:
    return Page(page, page_size)


CurrentActor = Annotated[Actor, Depends(current_actor)]
CurrentIdentity = Annotated[tuple[User, Account], Depends(current_identity)]
Uow = Annotated[GatewayUnitOfWork, Depends(unit_of_work)]
Paging = Annotated[Page, Depends(paging)]
SecurityDep = Annotated[Security, Depends(security_of)]
