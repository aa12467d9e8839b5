"""Sign-in rules: login throttling, refresh-token spending, password rules as field errors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from igny8_gateway.domain.authentication import (
    RefreshToken,
    ThrottleRule,
    WeakPassword,
    ensure_strong_password,
    seconds_until_allowed,
)

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
RULE = ThrottleRule(max_failures=3, window=timedelta(minutes=15))


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def test_fewer_failures_than_the_limit_are_allowed() -> None:
    assert seconds_until_allowed([], RULE, NOW) is None
    assert seconds_until_allowed([ago(1), ago(2)], RULE, NOW) is None


def test_failures_outside_the_window_do_not_count() -> None:
    assert seconds_until_allowed([ago(1), ago(2), ago(15), ago(30)], RULE, NOW) is None


def test_at_the_limit_wait_until_the_oldest_counted_failure_leaves_the_window() -> None:
    assert seconds_until_allowed([ago(1), ago(2), ago(10)], RULE, NOW) == 5 * 60


def test_beyond_the_limit_enough_failures_must_leave_the_window() -> None:
    # Five failures, limit three: three must expire, the third oldest (ago 6) frees the slot.
    failures = [ago(14), ago(1), ago(6), ago(12), ago(3)]
    assert seconds_until_allowed(failures, RULE, NOW) == 9 * 60


def test_wait_is_at_least_one_second() -> None:
    almost_gone = NOW - RULE.window + timedelta(milliseconds=10)
    assert seconds_until_allowed([almost_gone, ago(1), ago(2)], RULE, NOW) == 1


def _token(**changes: datetime | None) -> RefreshToken:
    base = RefreshToken(id=uuid.uuid4(), family_id=uuid.uuid4(), user_id=uuid.uuid4(),
                        account_id=uuid.uuid4(), issued_at=NOW,
                        expires_at=NOW + timedelta(days=14))
    for name, value in changes.items():
        setattr(base, name, value)
    return base


@pytest.mark.parametrize(("used_at", "revoked_at", "spent"), [
    (None, None, False), (NOW, None, True), (None, NOW, True), (NOW, NOW, True),
])
def test_a_refresh_token_is_spent_once_used_or_revoked(
    used_at: datetime | None, revoked_at: datetime | None, spent: bool
) -> None:
    assert _token(used_at=used_at, revoked_at=revoked_at).is_spent is spent


def test_a_weak_password_lists_every_problem_on_the_password_field() -> None:
    with pytest.raises(WeakPassword) as caught:
        ensure_strong_password("jane", "jane@example.com")
    assert caught.value.field == "password"
    assert len(caught.value.problems) >= 3


def test_a_strong_password_passes() -> None:
    ensure_strong_password("Correct-Horse-42!", "jane@example.com")
