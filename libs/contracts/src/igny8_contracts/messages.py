"""Base classes for commands, events and queries.

Every concrete message declares ``subject_base`` (``evt.gateway.account.created``) and
``version``. Its wire subject is ``{subject_base}.v{version}``. A breaking change to a message
is a new class with a new version, never an edit of a frozen one (see ``snapshots``).
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

R = TypeVar("R", bound=BaseModel)


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ClassVar[Literal["command", "event", "query", "request"]]
    subject_base: ClassVar[str]
    version: ClassVar[int] = 1

    @classmethod
    def subject(cls) -> str:
        return f"{cls.subject_base}.v{cls.version}"

    @classmethod
    def type_name(cls) -> str:
        """CloudEvents ``type``: reverse-DNS style, versioned."""
        return f"com.igny8.{cls.subject()}"

    @classmethod
    def owner(cls) -> str:
        """The service that owns the message: second token of the subject."""
        return cls.subject_base.split(".")[1]


class Event(Message):
    """Something that happened (past tense). Any number of listeners."""

    kind: ClassVar[Literal["command", "event", "query", "request"]] = "event"


class Command(Message):
    """An instruction (imperative). Exactly one handler."""

    kind: ClassVar[Literal["command", "event", "query", "request"]] = "command"


class Answered(Message, Generic[R]):
    """A message its owner answers over NATS request/reply with a ``R`` (``QueryResult.data``
    on success, itself a frozen contract): ``class GetBalance(Query[Balance])``. ``reply`` is
    ``R`` as a class, for the code that validates answers."""

    reply: ClassVar[type[BaseModel]]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for base in cls.__mro__:
            metadata = base.__dict__.get("__pydantic_generic_metadata__") or {}
            args = metadata.get("args", ())
            if args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
                cls.reply = args[0]
                return


class Query(Answered[R], Generic[R]):
    """A read answered synchronously by its owner (``qry.<owner>.<noun>.<verb>.v1``)."""

    kind: ClassVar[Literal["command", "event", "query", "request"]] = "query"


class Request(Answered[R], Generic[R]):
    """A synchronous command: changes state and is answered over request/reply (e.g. reserve
    credits before an AI operation). Subjects ``req.<owner>.<noun>.<verb>.v1`` (never under
    ``cmd.>``, which JetStream stores)."""

    kind: ClassVar[Literal["command", "event", "query", "request"]] = "request"


class QueryError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: int
    message: str
    errors: dict[str, list[str]] | None = None


class QueryResult(BaseModel):
    """The reply to a query: either ``data`` or ``error`` (an HTTP-like status and message)."""

    model_config = ConfigDict(extra="forbid")

    ok: bool
    data: Any = None
    error: QueryError | None = None

    @classmethod
    def success(cls, data: Any) -> QueryResult:
        return cls(ok=True, data=data)

    @classmethod
    def failure(
        cls, status: int, message: str, errors: dict[str, list[str]] | None = None
    ) -> QueryResult:
        return cls(ok=False, error=QueryError(status=status, message=message, errors=errors))
