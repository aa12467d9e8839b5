"""Signing in: refresh-token sessions, login throttling and password rules (pure)."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from igny8_gateway.domain.errors import DomainError, InvalidInput
from igny8_gateway.domain.passwords import check_password_strength


class Unauthenticated(DomainError):  # noqa: N818
    """Bad credentials, or a token that cannot be trusted (anymore)."""

    code = "not_authenticated"


class TooManyAttempts(DomainError):  # noqa: N818
    """Too many failed sign-ins; try again in ``retry_after_seconds``."""

    code = "throttled"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("Too many failed sign-in attempts; try again later.")
        self.retry_after_seconds = retry_after_seconds


class WeakPassword(InvalidInput):
    """The password breaks one or more strength rules (``problems``, all of them)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Choose a stronger password.", field="password")
        self.problems = problems


def ensure_strong_password(password: str, email: str) -> None:
    problems = check_password_strength(password, email)
    if problems:
        raise WeakPassword(problems)


@dataclass
class RefreshToken:
    """One issued refresh token (``id`` is its ``jti``). Tokens of one sign-in share a
    ``family_id``; each refresh spends the presented token and issues the next one."""

    id: uuid.UUID
    family_id: uuid.UUID
    user_id: uuid.UUID
    account_id: uuid.UUID
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def is_spent(self) -> bool:
        """Presenting a spent token again means it was stolen or replayed (RFC 6819 5.2.2.3):
        the whole family is revoked."""
        return self.used_at is not None or self.revoked_at is not None


@dataclass(frozen=True)
class ThrottleRule:
    """At most ``max_failures`` failed sign-ins per key within ``window``."""

    max_failures: int
    window: timedelta


def seconds_until_allowed(
    failures: Iterable[datetime], rule: ThrottleRule, now: datetime
) -> int | None:
    """``None`` when another attempt is allowed now, else how many seconds until it is
    (when enough of the recent failures have left the window)."""
    recent = sorted(f for f in failures if f > now - rule.window)
    if len(recent) < rule.max_failures:
        return None
    frees_at = recent[len(recent) - rule.max_failures] + rule.window
    return max(1, math.ceil((frees_at - now).total_seconds()))
