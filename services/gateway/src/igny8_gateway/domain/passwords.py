"""Password strength rules (pure).

``check_password_strength`` returns the list of problems (empty when the password is fine), so
the HTTP layer can show them all at once as field errors on ``password``.
"""

from __future__ import annotations

import re
from typing import Final

MIN_PASSWORD_LENGTH: Final = 10
MAX_PASSWORD_LENGTH: Final = 128
LONG_PASSWORD_LENGTH: Final = 16
"""From this length on, any mix of characters is accepted (passphrases)."""

_COMMON: Final = frozenset(
    {
        "123456",
        "1234567890",
        "123456789",
        "12345678",
        "1q2w3e4r",
        "1q2w3e4r5t",
        "abc123",
        "abcdefgh",
        "admin",
        "administrator",
        "baseball",
        "changeme",
        "dragon",
        "football",
        "iloveyou",
        "letmein",
        "master",
        "monkey",
        "passw0rd",
        "password",
        "password1",
        "princess",
        "qazwsx",
        "qwerty",
        "qwertyuiop",
        "secret",
        "starwars",
        "sunshine",
        "trustno1",
        "welcome",
        "zaq12wsx",
    }
)
_LEET: Final = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "@": "a", "$": "s"})
_EDGE_NOISE = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _is_common(password: str) -> bool:
    lowered = password.lower()
    if lowered in _COMMON:
        return True
    core = _EDGE_NOISE.sub("", lowered)  # "Password123!" -> "password"
    return bool(core) and (core in _COMMON or core.translate(_LEET) in _COMMON)


def _character_classes(password: str) -> int:
    return sum(
        (
            any(ch.islower() for ch in password),
            any(ch.isupper() for ch in password),
            any(ch.isdigit() for ch in password),
            any(not ch.isalnum() for ch in password),
        )
    )


def check_password_strength(password: str, email: str = "") -> list[str]:
    """Human-readable problems with ``password`` for the user with ``email``; empty when ok.

    Rules: 10 to 128 characters; at least three of lowercase, uppercase, digits and symbols,
    unless 16 characters or longer; must not contain the email's local part (when it has 3+
    characters); must not be a very common password (also with digits/symbols around it or
    simple letter-for-digit swaps, e.g. ``P@ssw0rd2024!``).
    """
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"Use at most {MAX_PASSWORD_LENGTH} characters")
    if len(password) < LONG_PASSWORD_LENGTH and _character_classes(password) < 3:
        problems.append(
            "Mix at least three of lowercase letters, uppercase letters, digits and symbols, "
            f"or use {LONG_PASSWORD_LENGTH} or more characters"
        )
    local_part = email.strip().rsplit("@", 1)[0].lower() if "@" in email else ""
    if len(local_part) >= 3 and local_part in password.lower():
        problems.append("Do not use your email address in your password")
    if _is_common(password):
        problems.append("This password is too common; choose something less guessable")
    return problems
