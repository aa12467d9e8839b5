"""Signing up, in and out, and turning an access token into an ``Actor``.

argon2 hashing is CPU-bound by design: it runs in a worker thread, and outside any database
transaction so a slow hash never holds a connection.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from igny8_contracts.billing import default_plan
from igny8_contracts.identity import AccountCreated, UserAdded
from igny8_gateway.adapters.tokens import InvalidToken, RefreshClaims
from igny8_gateway.domain.authentication import (
    RefreshToken,
    TooManyAttempts,
    Unauthenticated,
    ensure_strong_password,
    seconds_until_allowed,
)
from igny8_gateway.domain.errors import Conflict, InvalidInput
from igny8_gateway.domain.model import Account, Role, User, normalize_email, utcnow
from igny8_gateway.security import Security
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.logging import get_logger

log = get_logger(__name__)

BAD_CREDENTIALS = "Invalid email or password."
BAD_REFRESH = "Invalid or expired refresh token; sign in again."


@dataclass(frozen=True)
class SignedIn:
    access: str
    refresh: str
    user: User
    account: Account


async def register(
    uow: GatewayUnitOfWork, security: Security, *, email: str, password: str,
    account_name: str, first_name: str = "", last_name: str = "",
) -> SignedIn:
    """A new account with its owner, signed in. Emits AccountCreated and UserAdded."""
    email = normalize_email(email)
    ensure_strong_password(password, email)
    password_hash = await asyncio.to_thread(security.hasher.hash, password)
    plan = default_plan()
    account = Account(id=uuid.uuid4(), name=account_name, plan_slug=plan.slug,
                      max_sites=plan.max_sites, max_users=plan.max_users)
    owner = User(id=uuid.uuid4(), account_id=account.id, email=email,
                 password_hash=password_hash, role=Role.OWNER, first_name=first_name,
                 last_name=last_name)
    async with uow:
        if await uow.users.email_taken(email):
            raise Conflict("A user with this email address already exists.", field="email")
        await uow.accounts.add(account)
        await uow.users.add(owner)
        uow.emit(AccountCreated(account_id=account.id, name=account.name, owner_user_id=owner.id,
                                owner_email=owner.email, plan_slug=account.plan_slug),
                 account_id=account.id)
        uow.emit(UserAdded(account_id=account.id, user_id=owner.id, email=owner.email,
                           role=owner.role.value),
                 account_id=account.id)
        signed_in = await _open_session(uow, security, owner, account, uuid.uuid4())
        await uow.commit()
    return signed_in


async def login(
    uow: GatewayUnitOfWork, security: Security, *, email: str, password: str, client_ip: str
) -> SignedIn:
    """Check the password, throttled per email and per client address (even a right
    password is refused while throttled)."""
    try:
        email = normalize_email(email)
    except InvalidInput:
        email = email.strip().lower()
    email_key, ip_key = f"email:{email}", f"ip:{client_ip}"
    now = utcnow()
    async with uow:
        for key, rule in ((email_key, security.email_throttle), (ip_key, security.ip_throttle)):
            wait = seconds_until_allowed(
                await uow.login_failures.since(key, now - rule.window), rule, now)
            if wait is not None:
                log.warning("login throttled", key=key.split(":", 1)[0], retry_after=wait)
                raise TooManyAttempts(wait)
        user = await uow.users.by_email(email)
        account = await uow.accounts.get(user.account_id) if user is not None else None

    if user is None:  # as slow as a real check: the answer time does not tell who exists
        valid = await asyncio.to_thread(security.hasher.dummy_verify, password)
    else:
        valid = await asyncio.to_thread(security.hasher.verify, user.password_hash, password)
    rehashed = None
    if valid and user is not None and security.hasher.needs_rehash(user.password_hash):
        rehashed = await asyncio.to_thread(security.hasher.hash, password)

    async with uow:
        if user is None or account is None or not (valid and user.is_active
                                                   and account.is_active):
            window = max(security.email_throttle.window, security.ip_throttle.window)
            await uow.login_failures.record([email_key, ip_key], now, forget_before=now - window)
            await uow.commit()
            raise Unauthenticated(BAD_CREDENTIALS)
        await uow.login_failures.forget(email_key)
        if rehashed is not None:
            user.password_hash = rehashed
            await uow.users.save(user)
        signed_in = await _open_session(uow, security, user, account, uuid.uuid4())
        await uow.commit()
    return signed_in


async def refresh(uow: GatewayUnitOfWork, security: Security, refresh_token: str) -> SignedIn:
    """Spend the refresh token for a new pair. Presenting a spent one revokes its family."""
    claims = _refresh_claims(security, refresh_token)
    now = utcnow()
    async with uow:
        stored = await uow.refresh_tokens.get_for_update(
            claims.account_id, claims.user_id, claims.token_id)
        if stored is None:
            raise Unauthenticated(BAD_REFRESH)
        if stored.is_spent:
            await uow.refresh_tokens.revoke_family(stored.family_id, now)
            await uow.commit()
            log.warning("spent refresh token presented again; family revoked",
                        family_id=str(stored.family_id), user_id=str(stored.user_id))
            raise Unauthenticated(BAD_REFRESH)
        user = await uow.users.get(claims.account_id, claims.user_id)
        account = await uow.accounts.get(claims.account_id)
        if user is None or account is None or not (user.is_active and account.is_active):
            raise Unauthenticated(BAD_REFRESH)
        await uow.refresh_tokens.mark_used(stored, now)
        signed_in = await _open_session(uow, security, user, account, stored.family_id)
        await uow.commit()
    return signed_in


async def logout(uow: GatewayUnitOfWork, security: Security, refresh_token: str) -> None:
    """Revoke every refresh token of this sign-in (its family)."""
    claims = _refresh_claims(security, refresh_token)
    async with uow:
        stored = await uow.refresh_tokens.get_for_update(
            claims.account_id, claims.user_id, claims.token_id)
        if stored is None:
            raise Unauthenticated(BAD_REFRESH)
        await uow.refresh_tokens.revoke_family(stored.family_id, utcnow())
        await uow.commit()


async def authenticate(
    uow: GatewayUnitOfWork, security: Security, access_token: str
) -> tuple[User, Account]:
    """The user and account behind a valid access token, both still active. The role is read
    from the database (or from ``security.identities``, which this process updates at once and
    others within seconds), so a role change takes effect without signing in again."""
    try:
        claims = security.tokens.decode_access(access_token)
    except InvalidToken as exc:
        log.info("access token refused", reason=exc.reason)
        raise Unauthenticated("Invalid or expired access token.") from exc

    async def read() -> tuple[User, Account] | None:
        async with uow:
            return await uow.users.get_with_account(claims.account_id, claims.user_id)

    found = await security.identities.lookup(claims.account_id, claims.user_id, read)
    if found is None or not (found[0].is_active and found[1].is_active):
        raise Unauthenticated("This user or account is no longer active.")
    return found


def _refresh_claims(security: Security, token: str) -> RefreshClaims:
    try:
        return security.tokens.decode_refresh(token)
    except InvalidToken as exc:
        log.info("refresh token refused", reason=exc.reason)
        raise Unauthenticated(BAD_REFRESH) from exc


async def _open_session(
    uow: GatewayUnitOfWork, security: Security, user: User, account: Account,
    family_id: uuid.UUID,
) -> SignedIn:
    """Record a new refresh token of ``family_id`` and sign both tokens."""
    now = utcnow()
    token = RefreshToken(id=uuid.uuid4(), family_id=family_id, user_id=user.id,
                         account_id=user.account_id, issued_at=now,
                         expires_at=now + security.tokens.refresh_ttl)
    await uow.refresh_tokens.add(token)
    return SignedIn(
        access=security.tokens.issue_access(user.id, user.account_id, user.role),
        refresh=security.tokens.issue_refresh(user.id, user.account_id, family_id, token.id),
        user=user,
        account=account,
    )
