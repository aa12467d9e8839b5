"""Password hashing with argon2id (argon2-cffi).

Hashing and verifying take tens of milliseconds of CPU on purpose: call them from async code
through ``asyncio.to_thread``.
"""

from __future__ import annotations

import contextlib
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY


class Argon2PasswordHasher:
    """argon2id hashes as PHC strings (``$argon2id$v=19$m=...,t=...,p=...$salt$hash``).

    Defaults are RFC 9106's low-memory profile (t=3, m=64 MiB, p=4). Tests may pass smaller
    costs; hashes made with other parameters still verify, and ``needs_rehash`` tells when to
    re-hash them after a successful login.
    """

    def __init__(
        self,
        *,
        time_cost: int = RFC_9106_LOW_MEMORY.time_cost,
        memory_cost: int = RFC_9106_LOW_MEMORY.memory_cost,
        parallelism: int = RFC_9106_LOW_MEMORY.parallelism,
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=parallelism,
            type=Type.ID,
        )
        # A hash of a random password, verified against when the email is unknown, so that
        # "no such user" takes as long as "wrong password".
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(32))

    def hash(self, password: str) -> str:
        """A new salted argon2id hash of ``password``."""
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` matches ``password_hash``. Never raises: a mismatch, an empty
        or malformed hash all answer ``False`` (a malformed hash after a dummy verification, so
        the time taken does not tell)."""
        try:
            return self._hasher.verify(password_hash, password)
        except InvalidHashError:
            self.dummy_verify(password)
            return False
        except VerificationError:  # includes VerifyMismatchError
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with other parameters than the current ones (re-hash the
        password after a successful login). A malformed hash answers ``True``."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except (InvalidHashError, ValueError):
            return True

    def dummy_verify(self, password: str) -> bool:
        """Spend as long as a real verification; always ``False``. Use it when the email is
        unknown: ``ok = hasher.verify(user.password_hash, pw) if user else
        hasher.dummy_verify(pw)``."""
        with contextlib.suppress(VerificationError, InvalidHashError):
            self._hasher.verify(self._dummy_hash, password)
        return False
