"""Request bodies: unknown fields are refused (400), strings are bounded."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=150)]
Email = Annotated[str, StringConstraints(max_length=320)]
# Passwords are never stripped; the strength rules cap them at 128, this only bounds the work.
Password = Annotated[str, StringConstraints(max_length=1024)]
Domain = Annotated[str, StringConstraints(max_length=2048)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=4096)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
