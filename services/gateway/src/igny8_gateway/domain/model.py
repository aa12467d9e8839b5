"""Identity and tenancy objects of the gateway (pure: no database, no I/O).

Entities (``Account``, ``User``, ``Site``, ``Sector``) compare and hash by type and ``id``;
``SiteAccess`` is a value object (compares by all fields). All timestamps are timezone-aware UTC.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from igny8_gateway.domain.errors import InvalidInput


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Role(StrEnum):
    """A user's role (values match ``igny8_contracts.identity.Role``)."""

    DEVELOPER = "developer"
    OWNER = "owner"
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"
    SYSTEM_BOT = "system_bot"


class _Entity:
    """Identity semantics for entities: equal when same type and same ``id``."""

    id: uuid.UUID

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Entity) or type(other) is not type(self):
            return NotImplemented
        return other.id == self.id

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.id))


@dataclass(eq=False)
class Account(_Entity):
    """A customer (tenant). ``max_sites`` / ``max_users`` are the plan limits in force."""

    id: uuid.UUID
    name: str
    plan_slug: str
    max_sites: int
    max_users: int
    is_active: bool = True
    created_at: datetime = field(default_factory=utcnow)


@dataclass(eq=False)
class User(_Entity):
    """A person (or bot) who signs in; belongs to exactly one account.

    ``email`` is stored normalized (see ``normalize_email``); ``password_hash`` is an argon2id
    PHC string (``""`` when the user cannot sign in with a password).
    """

    id: uuid.UUID
    account_id: uuid.UUID
    email: str
    password_hash: str
    role: Role
    first_name: str = ""
    last_name: str = ""
    is_active: bool = True
    created_at: datetime = field(default_factory=utcnow)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(eq=False)
class Site(_Entity):
    """A website of an account. ``domain`` is a normalized host name or ``None``."""

    id: uuid.UUID
    account_id: uuid.UUID
    name: str
    domain: str | None = None
    is_active: bool = True
    created_at: datetime = field(default_factory=utcnow)


@dataclass(eq=False)
class Sector(_Entity):
    """A topical area of a site (at most ``MAX_ACTIVE_SECTORS_PER_SITE`` active per site)."""

    id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    name: str
    is_active: bool = True
    created_at: datetime = field(default_factory=utcnow)


@dataclass(unsafe_hash=True)
class SiteAccess:
    """A grant: ``user_id`` (an editor or viewer) may work on ``site_id``."""

    account_id: uuid.UUID
    site_id: uuid.UUID
    user_id: uuid.UUID


@dataclass(frozen=True)
class Actor:
    """Who is performing a request: what the policies look at.

    Build it from verified access-token claims, or from a loaded ``User`` with ``from_user``.
    """

    user_id: uuid.UUID
    account_id: uuid.UUID
    role: Role

    @classmethod
    def from_user(cls, user: User) -> Actor:
        return cls(user_id=user.id, account_id=user.account_id, role=user.role)


# ---------------------------------------------------------------------------------------------
# Normalization
# ---------------------------------------------------------------------------------------------

MAX_EMAIL_LENGTH = 254


def normalize_email(value: str) -> str:
    """Validate an email address's syntax and return it stripped and lowercased.

    No DNS lookups. Raises ``InvalidInput(field="email")`` for anything that is not an address.
    """
    candidate = value.strip()
    if not candidate or len(candidate) > MAX_EMAIL_LENGTH:
        raise InvalidInput("Enter a valid email address", field="email")
    try:
        validated = validate_email(candidate, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise InvalidInput(f"Enter a valid email address: {exc}", field="email") from exc
    return validated.normalized.lower()


_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_DOMAIN_HINT = "Enter a domain such as example.com or a URL such as https://example.com/"


def normalize_domain(value: str | None) -> str | None:
    """Turn ``example.com`` or ``https://Example.com/blog`` into ``example.com``.

    Blank input gives ``None`` (a site without a domain). Internationalized names are stored in
    their ASCII (punycode) form; ports, paths, queries and a trailing dot are dropped. Raises
    ``InvalidInput(field="domain")`` for anything that is not a public-looking host name: other
    schemes than http/https, credentials in the URL, IP addresses, single-label names such as
    ``localhost``, invalid labels.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if any(ch.isspace() for ch in text) or "\\" in text:
        raise InvalidInput(_DOMAIN_HINT, field="domain")
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError as exc:
        raise InvalidInput(_DOMAIN_HINT, field="domain") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidInput("Only http and https addresses are accepted", field="domain")
    if parts.username is not None or parts.password is not None:
        raise InvalidInput("The address must not contain a user name or password", field="domain")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidInput(_DOMAIN_HINT, field="domain")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise InvalidInput(_DOMAIN_HINT, field="domain") from exc
    labels = host.split(".")
    if (
        len(host) > 253
        or len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise InvalidInput(_DOMAIN_HINT, field="domain")
    return host
