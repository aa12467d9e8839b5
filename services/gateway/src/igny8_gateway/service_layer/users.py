"""Users of an account: list, read, add with a role, rename, change role, deactivate."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from igny8_contracts.identity import UserAdded, UserDeactivated, UserRoleChanged
from igny8_gateway.adapters.password_hasher import Argon2PasswordHasher
from igny8_gateway.domain.authentication import ensure_strong_password
from igny8_gateway.domain.errors import Conflict, NotFound
from igny8_gateway.domain.model import Account, Actor, Role, User, normalize_email, utcnow
from igny8_gateway.domain.policies import (
    ensure_can_change_role,
    ensure_can_create_user,
    ensure_can_deactivate_user,
    ensure_can_edit_user,
    ensure_can_manage_users,
    ensure_within_plan,
)
from igny8_gateway.service_layer.common import Listing, Page
from igny8_gateway.service_layer.uow import GatewayUnitOfWork


@dataclass(frozen=True)
class UserChanges:
    """``None`` leaves a field as it is."""

    first_name: str | None = None
    last_name: str | None = None
    role: Role | None = None


async def list_users(uow: GatewayUnitOfWork, actor: Actor, page: Page) -> Listing[User]:
    ensure_can_manage_users(actor)
    async with uow:
        users, count = await uow.users.list(actor.account_id, page.offset, page.size)
    return Listing(users, count)


async def get_user(uow: GatewayUnitOfWork, actor: Actor, user_id: uuid.UUID) -> User:
    """Anyone reads themselves; owners and admins read everyone in their account."""
    async with uow:
        user = await _user(uow, actor, user_id)
    if user.id != actor.user_id:
        ensure_can_manage_users(actor)
    return user


async def add_user(
    uow: GatewayUnitOfWork, hasher: Argon2PasswordHasher, actor: Actor, *, email: str,
    password: str, role: Role, first_name: str = "", last_name: str = "",
) -> User:
    """Emits UserAdded. Counts against the plan's ``max_users`` (active users)."""
    ensure_can_create_user(actor, role)
    email = normalize_email(email)
    ensure_strong_password(password, email)
    password_hash = await asyncio.to_thread(hasher.hash, password)
    user = User(id=uuid.uuid4(), account_id=actor.account_id, email=email,
                password_hash=password_hash, role=role, first_name=first_name,
                last_name=last_name)
    async with uow:
        account = await _locked_account(uow, actor)
        ensure_within_plan("users", await uow.users.count_active(account.id), account.max_users)
        if await uow.users.email_taken(email):
            raise Conflict("A user with this email address already exists.", field="email")
        await uow.users.add(user)
        uow.emit(UserAdded(account_id=user.account_id, user_id=user.id, email=user.email,
                           role=user.role.value),
                 account_id=user.account_id)
        await uow.commit()
    return user


async def update_user(
    uow: GatewayUnitOfWork, actor: Actor, user_id: uuid.UUID, changes: UserChanges
) -> User:
    """Names: the user themselves or a manager. Role: a manager, never one's own, never
    leaving the account without an active owner. Emits UserRoleChanged."""
    async with uow:
        await _locked_account(uow, actor)  # serialises the active-owner count
        user = await _user(uow, actor, user_id)
        ensure_can_edit_user(actor, user)
        if changes.role is not None and changes.role != user.role:
            owners = await uow.users.count_active(actor.account_id, Role.OWNER)
            ensure_can_change_role(actor, user, changes.role, owners)
            uow.emit(UserRoleChanged(account_id=user.account_id, user_id=user.id,
                                     old_role=user.role.value,
                                     new_role=changes.role.value),
                     account_id=user.account_id)
            user.role = changes.role
        if changes.first_name is not None:
            user.first_name = changes.first_name
        if changes.last_name is not None:
            user.last_name = changes.last_name
        await uow.users.save(user)
        await uow.commit()
    return user


async def deactivate_user(uow: GatewayUnitOfWork, actor: Actor, user_id: uuid.UUID) -> User:
    """The user can no longer sign in; their refresh tokens are revoked. Emits
    UserDeactivated (once: deactivating an inactive user changes nothing)."""
    async with uow:
        await _locked_account(uow, actor)
        user = await _user(uow, actor, user_id)
        owners = await uow.users.count_active(actor.account_id, Role.OWNER)
        ensure_can_deactivate_user(actor, user, owners)
        if user.is_active:
            user.is_active = False
            await uow.users.save(user)
            await uow.refresh_tokens.revoke_user(user.account_id, user.id, utcnow())
            uow.emit(UserDeactivated(account_id=user.account_id, user_id=user.id),
                     account_id=user.account_id)
            await uow.commit()
    return user


async def _user(uow: GatewayUnitOfWork, actor: Actor, user_id: uuid.UUID) -> User:
    user = await uow.users.get(actor.account_id, user_id)
    if user is None:
        raise NotFound("User not found.", field="user_id")
    return user


async def _locked_account(uow: GatewayUnitOfWork, actor: Actor) -> Account:
    account = await uow.accounts.get(actor.account_id, lock=True)
    if account is None:
        raise NotFound("Account not found.")
    return account
