"""Domain errors become the right HTTP status, headers and field errors."""

from __future__ import annotations

import pytest

from igny8_gateway.domain.authentication import TooManyAttempts, Unauthenticated, WeakPassword
from igny8_gateway.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    LimitReached,
    NotFound,
)
from igny8_gateway.entrypoints.errors import to_api_error


@pytest.mark.parametrize(("error", "status"), [
    (Unauthenticated("no"), 401),
    (TooManyAttempts(30), 429),
    (NotFound("Site not found.", field="site_id"), 404),
    (Forbidden("no"), 403),
    (LimitReached("Your plan allows 3 sites; upgrade to add more"), 403),
    (Conflict("taken", field="email"), 409),
    (InvalidInput("bad", field="domain"), 400),
    (WeakPassword(["Use at least 10 characters"]), 400),
])
def test_status(error: DomainError, status: int) -> None:
    assert to_api_error(error).status_code == status


def test_unauthenticated_asks_for_a_bearer_token() -> None:
    api_error = to_api_error(Unauthenticated("Invalid or expired access token."))
    assert api_error.headers == {"WWW-Authenticate": 'Bearer realm="igny8"'}
    assert api_error.error == "Invalid or expired access token."


def test_throttled_says_when_to_retry() -> None:
    assert to_api_error(TooManyAttempts(42)).headers == {"Retry-After": "42"}


def test_field_errors() -> None:
    assert to_api_error(InvalidInput("Enter a valid email", field="email")).errors == {
        "email": ["Enter a valid email"]}
    assert to_api_error(WeakPassword(["a", "b"])).errors == {"password": ["a", "b"]}
    assert to_api_error(InvalidInput("Bad request")).errors is None


def test_not_found_never_names_a_field() -> None:
    assert to_api_error(NotFound("Site not found.", field="site_id")).errors is None
