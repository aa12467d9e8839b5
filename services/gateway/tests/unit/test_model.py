"""Identity objects and normalization (igny8_gateway.domain.model)."""

from __future__ import annotations

import uuid

import pytest

from igny8_gateway.domain.errors import DomainError, InvalidInput
from igny8_gateway.domain.model import (
    Account,
    Actor,
    Role,
    Site,
    SiteAccess,
    User,
    normalize_domain,
    normalize_email,
)


def test_roles_match_the_contract() -> None:
    from typing import get_args

    from igny8_contracts.identity import Role as ContractRole

    assert {role.value for role in Role} == set(get_args(ContractRole))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bob@example.com", "bob@example.com"),
        ("  Bob.Smith@Example.COM ", "bob.smith@example.com"),
        ("owner@acme.test", "owner@acme.test"),
    ],
)
def test_normalize_email(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", "bob", "bob@", "@example.com", "a@b", "a b@example.com"]
)
def test_normalize_email_rejects_garbage(raw: str) -> None:
    with pytest.raises(InvalidInput) as info:
        normalize_email(raw)
    assert info.value.field == "email"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("example.com", "example.com"),
        ("https://example.com/", "example.com"),
        ("http://Blog.Example.COM/path?q=1#x", "blog.example.com"),
        ("https://example.com:8443", "example.com"),
        ("example.com.", "example.com"),
        ("  EXAMPLE.com  ", "example.com"),
        ("bücher.de", "xn--bcher-kva.de"),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_normalize_domain(raw: str | None, expected: str | None) -> None:
    assert normalize_domain(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "localhost",
        "not a domain",
        "1.2.3.4",
        "http://127.0.0.1/",
        "https://[::1]/",
        "ftp://example.com",
        "javascript:alert(1)",
        "https://user:pw@example.com/",
        "example..com",
        "-bad.com",
        "bad-.com",
        "exa_mple.com",
        "http://",
        "example.com:notaport",
        "a" * 64 + ".com",
        ".".join(["abcdefghij"] * 25) + ".com",
    ],
)
def test_normalize_domain_rejects_garbage(raw: str) -> None:
    with pytest.raises(DomainError) as info:
        normalize_domain(raw)
    assert isinstance(info.value, InvalidInput)
    assert info.value.field == "domain"


def test_entities_compare_by_id() -> None:
    account_id = uuid.uuid4()
    site_id = uuid.uuid4()
    a = Site(id=site_id, account_id=account_id, name="A")
    b = Site(id=site_id, account_id=account_id, name="renamed")
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != Site(id=uuid.uuid4(), account_id=account_id, name="A")
    account = Account(id=site_id, name="Acme", plan_slug="free", max_sites=1, max_users=1)
    assert account != a  # same id, different type
    assert account.is_active
    assert account.created_at.tzinfo is not None


def test_site_access_is_a_value() -> None:
    ids = (uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
    assert SiteAccess(*ids) == SiteAccess(*ids)
    assert len({SiteAccess(*ids), SiteAccess(*ids)}) == 1


def test_actor_from_user() -> None:
    user = User(
        id=uuid.uuid4(),
        account_id=uuid.uuid4(),
        email="ed@example.com",
        password_hash="",
        role=Role.EDITOR,
        first_name="Ed",
        last_name="Itor",
    )
    assert Actor.from_user(user) == Actor(user.id, user.account_id, Role.EDITOR)
    assert user.full_name == "Ed Itor"
