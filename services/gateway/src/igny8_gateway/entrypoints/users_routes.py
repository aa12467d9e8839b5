"""``/api/v1/auth/users/``: the account's users (DELETE deactivates)."""

from __future__ import annotations

import uuid

from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_gateway.domain.model import Role
from igny8_gateway.entrypoints.bodies import Body, Email, Password, PersonName
from igny8_gateway.entrypoints.deps import CurrentActor, Paging, ProfileEditor, SecurityDep, Uow
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.views import UserView, user_view
from igny8_gateway.service_layer import users
from igny8_runtime.responses import Listing, Ok, ok, paginated

router = api_router("/api/v1/auth/users", "users")
routers = (router,)


class NewUserBody(Body):
    email: Email
    password: Password
    role: Role
    first_name: PersonName = ""
    last_name: PersonName = ""


class UserChangesBody(Body):
    first_name: PersonName | None = None
    last_name: PersonName | None = None
    role: Role | None = None


@router.get("/", response_model=Listing[UserView],
            summary="List the account's users (owners and admins)")
async def list_users(request: Request, actor: CurrentActor, uow: Uow, page: Paging) -> JSONResponse:
    listing = await users.list_users(uow, actor, page)
    return paginated(request, [user_view(u) for u in listing.items], listing.count, page.number,
                     page.size)


@router.post("/", status_code=201, response_model=Ok[UserView], summary="Add a user with a role")
async def add_user(
    body: NewUserBody, actor: CurrentActor, uow: Uow, security: SecurityDep
) -> JSONResponse:
    user = await users.add_user(uow, security.hasher, actor, email=body.email,
                                password=body.password, role=body.role,
                                first_name=body.first_name, last_name=body.last_name)
    return ok(user_view(user), "User added.", status_code=201)


@router.get("/{user_id}/", response_model=Ok[UserView], summary="Read a user")
async def get_user(user_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(user_view(await users.get_user(uow, actor, user_id)))


@router.patch("/{user_id}/", response_model=Ok[UserView],
              summary="Rename a user or change their role")
async def update_user(
    user_id: uuid.UUID, body: UserChangesBody, actor: ProfileEditor, uow: Uow
) -> JSONResponse:
    changes = users.UserChanges(first_name=body.first_name, last_name=body.last_name,
                                role=body.role)
    return ok(user_view(await users.update_user(uow, actor, user_id, changes)), "User updated.")


@router.delete("/{user_id}/", response_model=Ok[UserView], summary="Deactivate a user")
async def deactivate_user(user_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    user = await users.deactivate_user(uow, actor, user_id)
    return ok(user_view(user), "User deactivated.")
