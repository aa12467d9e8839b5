"""Domain exceptions of the gateway.

Every exception carries a human-readable ``message`` and, for field-level errors, the name of
the offending ``field`` (``None`` when the error is about the request as a whole). ``code`` is a
stable machine-readable name the HTTP layer can put in the unified error response; mapping to
HTTP status codes is the entrypoints' job (suggested: NotFound 404, Forbidden 403,
Conflict 409, LimitReached 403/409, InvalidInput 400/422).
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """Base class of every business-rule error raised by the gateway's domain."""

    code: ClassVar[str] = "domain_error"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, field={self.field!r})"


class NotFound(DomainError):  # noqa: N818
    """The object does not exist, or belongs to another account / a site not granted."""

    code = "not_found"


class Forbidden(DomainError):  # noqa: N818
    """The actor's role does not allow the action."""

    code = "forbidden"


class Conflict(DomainError):  # noqa: N818
    """The action clashes with the current state (duplicate email, last active owner, ...)."""

    code = "conflict"


class LimitReached(DomainError):  # noqa: N818
    """A plan limit or a product limit (active sectors per site) would be exceeded."""

    code = "limit_reached"


class InvalidInput(DomainError):  # noqa: N818
    """The input is malformed (bad email, bad domain, weak password, ...)."""

    code = "invalid_input"
