"""Password strength rules and the argon2id hasher."""

from __future__ import annotations

import pytest

from igny8_gateway.adapters.password_hasher import Argon2PasswordHasher
from igny8_gateway.domain.passwords import check_password_strength

EMAIL = "jane.doe@example.com"


@pytest.mark.parametrize(
    "password",
    [
        "Tr0ub4dor&3x",  # 4 classes
        "kettle-Orbit-42",  # 4 classes
        "lower-UPPER-x",  # 3 classes (no digit), 13 characters
        "correct horse battery staple",  # long passphrase, 2 classes
        "abcdefghijklmnopq",  # 17 lowercase letters: long enough on its own
        "x" * 128,
    ],
)
def test_strong_passwords(password: str) -> None:
    assert check_password_strength(password, EMAIL) == []


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Ab1!xyz", "Use at least 10 characters"),
        ("", "Use at least 10 characters"),
        ("Ab1!" * 33, "Use at most 128 characters"),
        ("lowercaseonly", "Mix at least three of"),
        ("lowercase1234", "Mix at least three of"),
        ("UPPERCASE!!!", "Mix at least three of"),
        ("12345678901", "Mix at least three of"),
        ("Jane.Doe-2024!", "Do not use your email address"),
        ("xxJANE.DOExx1A!", "Do not use your email address"),
        ("password", "too common"),
        ("Password123!", "too common"),
        ("P@ssw0rd2024!", "too common"),
        ("!!Qwerty2024", "too common"),
        ("1234567890", "too common"),
        ("Letmein!!!!1", "too common"),
    ],
)
def test_weak_passwords(password: str, problem: str) -> None:
    problems = check_password_strength(password, EMAIL)
    assert any(problem in p for p in problems), problems


def test_all_problems_are_reported_at_once() -> None:
    problems = check_password_strength("password", "password@example.com")
    assert len(problems) == 4  # too short, one class, contains email, common


def test_short_local_parts_are_ignored() -> None:
    assert check_password_strength("Tr0ub4dor&3x", "tr@example.com") == []
    assert check_password_strength("Tr0ub4dor&3x", "") == []


# --- hasher ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hasher() -> Argon2PasswordHasher:
    # cheap parameters keep the tests fast; production uses RFC 9106 low-memory defaults
    return Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def test_hash_and_verify(hasher: Argon2PasswordHasher) -> None:
    hashed = hasher.hash("Tr0ub4dor&3x")
    assert hashed.startswith("$argon2id$")
    assert "Tr0ub4dor" not in hashed
    assert hasher.hash("Tr0ub4dor&3x") != hashed  # salted
    assert hasher.verify(hashed, "Tr0ub4dor&3x") is True
    assert hasher.verify(hashed, "Tr0ub4dor&3X") is False
    assert hasher.verify(hashed, "") is False


@pytest.mark.parametrize("bad_hash", ["", "plaintext", "$argon2id$v=19$garbage", "$2b$12$abc"])
def test_verify_never_raises_on_bad_hashes(hasher: Argon2PasswordHasher, bad_hash: str) -> None:
    assert hasher.verify(bad_hash, "whatever") is False
    assert hasher.needs_rehash(bad_hash) is True


def test_dummy_verify(hasher: Argon2PasswordHasher) -> None:
    assert hasher.dummy_verify("anything") is False
    assert hasher.dummy_verify("") is False


def test_needs_rehash(hasher: Argon2PasswordHasher) -> None:
    hashed = hasher.hash("Tr0ub4dor&3x")
    assert hasher.needs_rehash(hashed) is False
    stronger = Argon2PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1)
    assert stronger.needs_rehash(hashed) is True
    assert stronger.verify(hashed, "Tr0ub4dor&3x") is True  # old hashes still verify
    assert stronger.needs_rehash(stronger.hash("Tr0ub4dor&3x")) is False


def test_default_parameters_are_rfc_9106_low_memory() -> None:
    hashed = Argon2PasswordHasher().hash("Tr0ub4dor&3x")
    assert "$m=65536,t=3,p=4$" in hashed
