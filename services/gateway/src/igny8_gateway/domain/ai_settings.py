"""An account's AI provider settings and prompt overrides (the seeds' ``system`` module).

Pure rules: what a valid provider setting is, how the stored key is shown (never in clear: is
one set, and its last four characters to those who manage the account), and who may change
what. Encrypting the key is the service layer's job (``SecretBox``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal
from urllib.parse import urlsplit

from igny8_gateway.domain.errors import InvalidInput

ProviderKind = Literal["offline", "openai_compatible"]

DEFAULT_MODEL: Final = "gpt-4o-mini"
DEFAULT_EMBEDDING_MODEL: Final = "text-embedding-3-small"
DEFAULT_IMAGE_MODEL: Final = "dall-e-3"


class FieldErrors(InvalidInput):
    """Several fields are wrong at once: ``errors`` maps each to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("Invalid input.")
        self.errors = errors


@dataclass(frozen=True)
class AiSettings:
    """What an account stored. ``api_key_encrypted`` is SecretBox ciphertext."""

    account_id: uuid.UUID
    kind: ProviderKind
    base_url: str | None
    model: str
    embedding_model: str
    image_model: str
    api_key_encrypted: str | None
    api_key_last4: str | None
    updated_at: datetime | None = None
    updated_by: uuid.UUID | None = None

    @property
    def api_key_set(self) -> bool:
        return self.api_key_encrypted is not None


@dataclass(frozen=True)
class ProviderChoice:
    """A provider setting as asked for (to save or to test); ``api_key`` None keeps the
    stored key."""

    kind: ProviderKind
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    image_model: str = DEFAULT_IMAGE_MODEL
    api_key: str | None = None


def check_choice(choice: ProviderChoice, *, key_stored: bool) -> None:
    """Raise ``FieldErrors`` unless ``choice`` can be saved (``key_stored``: the account
    already has a key, which an omitted ``api_key`` keeps)."""
    errors: dict[str, list[str]] = {}
    if choice.base_url is not None:
        problem = url_problem(choice.base_url)
        if problem:
            errors["base_url"] = [problem]
    if choice.kind == "openai_compatible":
        if choice.api_key is None and not key_stored:
            errors["api_key"] = ["An API key is required for an openai_compatible provider."]
        for name in ("model", "embedding_model", "image_model"):
            if not getattr(choice, name).strip():
                errors[name] = ["May not be empty."]
    if choice.api_key is not None and not choice.api_key.strip():
        errors["api_key"] = ["May not be empty; omit it to keep the stored key."]
    if errors:
        raise FieldErrors(errors)


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an http(s) URL with a host (None when it is)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "Not a valid URL."
    if parts.scheme not in ("http", "https"):
        return "Must be an http:// or https:// URL."
    if not parts.hostname:
        return "The URL has no host."
    if parts.username or parts.password:
        return "Put credentials in api_key, not in the URL."
    if parts.query or parts.fragment:
        return "The URL may not have a query or fragment."
    return None


def last4(api_key: str) -> str:
    return api_key[-4:] if len(api_key) >= 8 else ""
