"""The identities behind access tokens, kept for a few seconds (adapters/identity_cache.py)."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace

from igny8_gateway.adapters.identity_cache import (
    Identity,
    IdentityCache,
    note_identity_change,
)
from igny8_gateway.domain.model import Account, Role, User


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def identity(*, active: bool = True) -> Identity:
    account = Account(id=uuid.uuid4(), name="Acme", plan_slug="free", max_sites=1, max_users=1)
    user = User(id=uuid.uuid4(), account_id=account.id, email="ada@example.com",
                password_hash="", role=Role.OWNER, is_active=active)
    return user, account


async def started(read: Reads) -> None:
    while not read.calls:
        await asyncio.sleep(0)


class Reads:
    """A database read that counts its calls and can be held open."""

    def __init__(self, found: Identity | None) -> None:
        self.found = found
        self.calls = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self) -> Identity | None:
        self.calls += 1
        await self.gate.wait()
        return self.found


async def test_an_identity_is_read_once_then_kept_for_its_ttl() -> None:
    clock = Clock()
    cache = IdentityCache(ttl=2.0, clock=clock)
    user, account = identity()
    read = Reads((user, account))
    for _ in range(3):
        found = await cache.lookup(account.id, user.id, read)
        assert found is not None and found[0].id == user.id
    assert read.calls == 1
    clock.now += 2.0
    await cache.lookup(account.id, user.id, read)
    assert read.calls == 2


async def test_entries_are_copies() -> None:
    cache = IdentityCache(ttl=2.0)
    user, account = identity()
    found = await cache.lookup(account.id, user.id, Reads((user, account)))
    assert found is not None
    found[0].role = Role.VIEWER
    again = cache.get(account.id, user.id)
    assert again is not None and again[0].role is Role.OWNER


async def test_inactive_or_unknown_identities_are_read_every_time() -> None:
    cache = IdentityCache(ttl=60.0)
    user, account = identity(active=False)
    inactive = Reads((user, account))
    unknown = Reads(None)
    for _ in range(2):
        await cache.lookup(account.id, user.id, inactive)
        assert await cache.lookup(account.id, uuid.uuid4(), unknown) is None
    assert (inactive.calls, unknown.calls) == (2, 2)


async def test_a_committed_change_is_forgotten_at_once() -> None:
    cache = IdentityCache(ttl=60.0)
    user, account = identity()
    read = Reads((user, account))
    await cache.lookup(account.id, user.id, read)
    session = SimpleNamespace(info={})
    note_identity_change(session.info, account.id)
    cache.forget_committed(session)
    assert cache.get(account.id, user.id) is None
    assert session.info == {}
    await cache.lookup(account.id, user.id, read)
    assert read.calls == 2


async def test_a_read_that_raced_with_a_change_is_not_kept() -> None:
    cache = IdentityCache(ttl=60.0)
    user, account = identity()
    read = Reads((user, account))
    read.gate.clear()
    racing = asyncio.create_task(cache.lookup(account.id, user.id, read))
    await started(read)
    cache.forget([account.id])  # committed while the read was on its way
    read.gate.set()
    await racing
    assert cache.get(account.id, user.id) is None


async def test_requests_after_a_change_do_not_wait_for_a_read_begun_before_it() -> None:
    cache = IdentityCache(ttl=60.0)
    user, account = identity()
    stale = Reads((user, account))
    stale.gate.clear()
    first = asyncio.create_task(cache.lookup(account.id, user.id, stale))
    await started(stale)
    cache.forget([account.id])
    deactivated, _ = identity(active=False)
    fresh = Reads((deactivated, account))
    found = await cache.lookup(account.id, user.id, fresh)
    assert found is not None and not found[0].is_active
    stale.gate.set()
    await first


async def test_concurrent_misses_share_one_read() -> None:
    cache = IdentityCache(ttl=60.0)
    user, account = identity()
    read = Reads((user, account))
    read.gate.clear()
    waiting = [asyncio.create_task(cache.lookup(account.id, user.id, read)) for _ in range(20)]
    await started(read)
    read.gate.set()
    assert all(found is not None for found in await asyncio.gather(*waiting))
    assert read.calls == 1


async def test_the_number_of_entries_is_bounded() -> None:
    cache = IdentityCache(ttl=60.0, max_entries=3)
    kept = [identity() for _ in range(4)]
    for user, account in kept:
        await cache.lookup(account.id, user.id, Reads((user, account)))
    assert cache.get(kept[0][1].id, kept[0][0].id) is None  # the oldest went
    assert all(cache.get(account.id, user.id) is not None for user, account in kept[1:])
