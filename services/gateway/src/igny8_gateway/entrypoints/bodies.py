"""Request bodies: unknown fields are refused (400), strings are bounded, and no text carries the
NUL character (PostgreSQL stores no ``\\u0000`` in text or JSON: refused here, not a 500 later)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=150)]
Email = Annotated[str, StringConstraints(max_length=320)]
# Passwords are never stripped; the strength rules cap them at 128, this only bounds the work.
Password = Annotated[str, StringConstraints(max_length=1024)]
Domain = Annotated[str, StringConstraints(max_length=2048)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=4096)]

NUL_MESSAGE = "may not contain the NUL character (\\u0000)"


def contains_nul(value: object) -> bool:
    """Whether ``value`` (text, or a JSON structure of it, keys included) has a NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(contains_nul(item) for item in value)
    return False


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        if contains_nul(value):
            raise ValueError(NUL_MESSAGE)
        return value
