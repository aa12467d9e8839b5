"""The users and accounts behind recent access tokens, so that most authenticated requests need
no database round trip to learn who is calling.

How stale an entry can be:

* In the process that made a change, not at all: every transaction that writes a user or an
  account row names the account in its session (``note_identity_change``); once it commits,
  ``forget_committed`` drops that account's entries. A read that raced with the change (it
  started before the commit and finished after it) is not stored: ``put`` refuses a read that
  began before the latest ``forget``.
* In another gateway process, for at most ``ttl`` seconds: that is the bound within which a
  deactivated user or account, or a changed role, stops working everywhere.

Only active identities are kept; an inactive or unknown one is read again on every request.
Entries are copies (the domain objects are mutable), and their number is bounded. Requests that
miss the same identity at the same moment (many arrive together when an entry expires) share
one database read.
"""

from __future__ import annotations

import asyncio
import copy
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from igny8_gateway.domain.model import Account, User

_CHANGED_ACCOUNTS = "igny8_gateway.identity_changes"

Key = tuple[uuid.UUID, uuid.UUID]
Identity = tuple[User, Account]


def note_identity_change(session_info: dict[Any, Any], account_id: uuid.UUID) -> None:
    """Record in a session's ``info`` that this transaction writes ``account_id``'s account or
    one of its users."""
    session_info.setdefault(_CHANGED_ACCOUNTS, set()).add(account_id)


class IdentityCache:
    """``(account id, user id) → (User, Account)`` for ``ttl`` seconds."""

    def __init__(self, ttl: float, max_entries: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[Key, tuple[float, User, Account]] = {}
        self._reads: dict[Key, asyncio.Task[Identity | None]] = {}
        self._generation = 0

    async def lookup(self, account_id: uuid.UUID, user_id: uuid.UUID,
                     read: Callable[[], Awaitable[Identity | None]]) -> Identity | None:
        """The cached identity, else what ``read()`` finds (kept when active). Concurrent misses
        of one identity wait for the same ``read()``."""
        found = self.get(account_id, user_id)
        if found is not None:
            return found
        key = (account_id, user_id)
        pending = self._reads.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._read(key, read))
            self._reads[key] = pending
        # Shielded: one waiter giving up (its client left) does not cancel the others' read.
        found = await asyncio.shield(pending)
        return None if found is None else (copy.copy(found[0]), copy.copy(found[1]))

    async def _read(self, key: Key, read: Callable[[], Awaitable[Identity | None]]
                    ) -> Identity | None:
        generation = self._generation
        try:
            found = await read()
        finally:
            if self._reads.get(key) is asyncio.current_task():
                del self._reads[key]
        if found is not None:
            self.put(*found, generation=generation)
        return found

    def get(self, account_id: uuid.UUID, user_id: uuid.UUID) -> Identity | None:
        key = (account_id, user_id)
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, user, account = entry
        if self._clock() - stored_at >= self.ttl:
            del self._entries[key]
            return None
        return copy.copy(user), copy.copy(account)

    def put(self, user: User, account: Account, generation: int) -> None:
        """Keep an active identity read while ``generation`` (``_generation`` when the read
        began) was current."""
        if generation != self._generation or not (user.is_active and account.is_active):
            return
        key = (account.id, user.id)
        self._entries.pop(key, None)
        while len(self._entries) >= self.max_entries:
            del self._entries[next(iter(self._entries))]  # the oldest
        self._entries[key] = (self._clock(), copy.copy(user), copy.copy(account))

    def forget(self, account_ids: Iterable[uuid.UUID]) -> None:
        """Drop every entry of these accounts (and refuse reads that began before; requests
        from now on do not wait for those but read again)."""
        accounts = set(account_ids)
        self._generation += 1
        for key in [key for key in self._entries if key[0] in accounts]:
            del self._entries[key]
        for key in [key for key in self._reads if key[0] in accounts]:
            del self._reads[key]

    def forget_committed(self, session: Any) -> None:
        """A database session's after-commit listener (see ``Database.after_commit``)."""
        changed = session.info.pop(_CHANGED_ACCOUNTS, None)
        if changed:
            self.forget(changed)
