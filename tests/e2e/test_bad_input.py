"""Bad input gets a clear 4xx in the unified format, with field errors where they apply, and
nothing is written (no row, no event)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

REGISTER = "/api/v1/auth/register/"


@pytest.fixture
def unchanged(db):
    """Asserts, after the test, that the gateway's tables and outbox did not change."""
    before = db.counts()
    yield
    assert db.counts() == before, "a refused request wrote something"


def _registration(gw, **overrides) -> dict:
    return {"email": gw.unique_email(), "password": gw.password, "account_name": "Acme",
            **overrides}


def test_malformed_json(gw, unchanged) -> None:
    response = gw.call("POST", REGISTER, content=b'{"email": "a@example.com", "password": ',
                       headers={"Content-Type": "application/json"})
    body = gw.fail(response, 400)
    assert body["errors"] == {"non_field_errors": ["Malformed JSON body."]}


def test_unknown_field(gw, unchanged) -> None:
    body = gw.fail(gw.call("POST", REGISTER, json=_registration(gw, is_superuser=True)), 400)
    assert body["errors"] == {"is_superuser": ["Unknown field."]}


def test_missing_field(gw, unchanged) -> None:
    registration = _registration(gw)
    del registration["account_name"]
    body = gw.fail(gw.call("POST", REGISTER, json=registration), 400)
    assert set(body["errors"]) == {"account_name"}


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "two@@example.com", " ", "a" * 300])
def test_invalid_email(gw, unchanged, email: str) -> None:
    body = gw.fail(gw.call("POST", REGISTER, json=_registration(gw, email=email)), 400)
    assert set(body["errors"]) == {"email"}


@pytest.mark.parametrize("password", ["short1!A", "onlylowercase", "Password123!",
                                      "P@ssw0rd2024!"])
def test_weak_password(gw, unchanged, password: str) -> None:
    body = gw.fail(gw.call("POST", REGISTER, json=_registration(gw, password=password)), 400)
    assert set(body["errors"]) == {"password"}
    assert body["errors"]["password"], "each broken rule is listed"


def test_password_containing_the_email_is_weak(gw, unchanged) -> None:
    email = gw.unique_email("hunter")
    body = gw.fail(gw.call("POST", REGISTER, json=_registration(
        gw, email=email, password=f"X9!{email.split('@')[0]}")), 400)
    assert any("email" in problem for problem in body["errors"]["password"])


def test_duplicate_email_is_a_conflict_whatever_its_case(gw, db) -> None:
    owner = gw.register()
    before = db.counts()
    body = gw.fail(gw.call("POST", REGISTER, json=_registration(
        gw, email=f"  {owner.email.upper()} ")), 409)
    assert set(body["errors"]) == {"email"}
    body = gw.fail(gw.call("POST", "/api/v1/auth/users/", owner, json={
        "email": owner.email, "password": gw.password, "role": "viewer"}), 409)
    assert set(body["errors"]) == {"email"}
    assert db.counts() == before


def test_oversized_body(gw, unchanged) -> None:
    huge = _registration(gw, account_name="x" * 2_000_000)
    body = gw.fail(gw.call("POST", REGISTER, json=huge), 413)
    assert "too large" in body["error"]


def test_oversized_body_without_declared_length(gw, unchanged) -> None:
    # Streamed (chunked) with no Content-Length: cut off once past the limit, in the unified
    # format, before anything is written.
    def chunks():
        yield b'{"email": "a@example.com", "account_name": "'
        for _ in range(40):
            yield b"x" * 64_000
        yield b'"}'

    response = gw.call("POST", REGISTER, content=chunks(),
                       headers={"Content-Type": "application/json"})
    body = gw.fail(response, 413)
    assert "too large" in body["error"]


def test_blank_and_overlong_names(gw, unchanged) -> None:
    body = gw.fail(gw.call("POST", REGISTER, json=_registration(gw, account_name="   ")), 400)
    assert set(body["errors"]) == {"account_name"}
    body = gw.fail(gw.call("POST", REGISTER, json=_registration(gw, first_name="x" * 151)), 400)
    assert set(body["errors"]) == {"first_name"}


def test_wrong_types(gw, unchanged) -> None:
    body = gw.fail(gw.call("POST", REGISTER, json=_registration(gw, email=["a@example.com"])),
                   400)
    assert set(body["errors"]) == {"email"}
    gw.fail(gw.call("POST", REGISTER, json=["not", "an", "object"]), 400)


def test_bad_site_domain_and_ids(gw, db) -> None:
    owner = gw.register()
    before = db.counts()
    for domain in ("localhost", "http://127.0.0.1/", "ftp://example.com", "exa mple.com",
                   "https://user:pw@example.com/"):
        body = gw.fail(gw.call("POST", "/api/v1/auth/sites/", owner,
                               json={"name": "Site", "domain": domain}), 400)
        assert set(body["errors"]) == {"domain"}, domain
    body = gw.fail(gw.call("GET", "/api/v1/auth/sites/not-a-uuid/", owner), 400)
    assert set(body["errors"]) == {"site_id"}
    body = gw.fail(gw.call("POST", "/api/v1/auth/sectors/", owner,
                           json={"site_id": "nope", "name": "Sector"}), 400)
    assert set(body["errors"]) == {"site_id"}
    body = gw.fail(gw.call("GET", "/api/v1/auth/sites/?page_size=101", owner), 400)
    assert set(body["errors"]) == {"page_size"}
    gw.fail(gw.call("GET", "/api/v1/auth/sites/?page=0", owner), 400)
    gw.fail(gw.call("PATCH", f"/api/v1/auth/users/{owner.id}/", owner,
                    json={"email": "new@example.com"}), 400)
    assert db.counts() == before


def test_site_domain_is_normalised(gw) -> None:
    owner = gw.register()
    site = gw.create_site(owner, "Blog", "HTTPS://Blog.Example.COM/path?q=1")
    assert site["domain"] == "blog.example.com"
