"""A service: its tables, message handlers, query handlers and HTTP routes, and how it runs.

Each service module builds one ``Service`` (``igny8_<name>.service``) and registers handlers on
it (``igny8_runtime.handling`` shows the one handler style); ``python -m igny8_<name> serve``
runs it. Follow a subject to its handler by searching ``on_event(`` / ``on_query(`` in the
service's ``entrypoints/``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import nats
from fastapi import APIRouter
from faststream.middlewares import AckPolicy
from faststream.nats import JStream, NatsBroker, NatsMessage, PullSub
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from sqlalchemy import MetaData, Table

from igny8_contracts import Answered
from igny8_contracts.messages import Message
from igny8_contracts.streams import stream_for_subject
from igny8_runtime.consumers import Subscription, deliver
from igny8_runtime.db import Database
from igny8_runtime.handling import HandlerContext
from igny8_runtime.logging import get_logger
from igny8_runtime.outbox import messaging_tables
from igny8_runtime.relay import OutboxRelay
from igny8_runtime.rpc import answer
from igny8_runtime.settings import ServiceSettings
from igny8_runtime.streams import consumer_config, declare_consumer, declare_streams
from igny8_runtime.telemetry import configure_tracing
from igny8_runtime.uow import UnitOfWork

log = get_logger(__name__)

M = TypeVar("M", bound=Message)
Q = TypeVar("Q", bound=Answered[Any])
U = TypeVar("U", bound=UnitOfWork)
T = TypeVar("T")
StartHook = Callable[["ServiceRuntime"], Awaitable[None]]


@dataclass
class QueryRoute:
    query_type: type[Answered[Any]]
    handler: Any
    read_only: bool = False


class Service(Generic[U]):
    def __init__(self, name: str, metadata: MetaData, uow_class: type[U]) -> None:
        self.name = name
        self.metadata = metadata
        self.outbox, self.inbox = messaging_tables(metadata)
        self.uow_class = uow_class
        self.subscriptions: list[Subscription[Any, U]] = []
        self.queries: list[QueryRoute] = []
        self.routers: list[APIRouter] = []
        self.start_hooks: list[StartHook] = []

    @property
    def migrations(self) -> str:
        return f"igny8_{self.name}:migrations"

    def on_event(self, message_type: type[M], name: str) -> Callable[
        [Callable[[M, U, HandlerContext], Awaitable[None]]],
        Callable[[M, U, HandlerContext], Awaitable[None]],
    ]:
        """Handle an event or command: ``@service.on_event(Evt, "do-x")``; ``name`` is the
        durable consumer's (``<service>--<name>``)."""

        def register(
            handler: Callable[[M, U, HandlerContext], Awaitable[None]],
        ) -> Callable[[M, U, HandlerContext], Awaitable[None]]:
            self.subscriptions.append(Subscription(name, message_type, handler, self.name))
            return handler

        return register

    def on_query(self, query_type: type[Q], *, read_only: bool) -> Callable[
        [Callable[[Q, U, HandlerContext], Awaitable[Any]]],
        Callable[[Q, U, HandlerContext], Awaitable[Any]],
    ]:
        """Answer a query or request with its reply model: ``@service.on_query(Q, read_only=True)``
        (the handler runs in a unit of work of its own; ``read_only`` cannot commit)."""

        def register(
            handler: Callable[[Q, U, HandlerContext], Awaitable[Any]],
        ) -> Callable[[Q, U, HandlerContext], Awaitable[Any]]:
            self.queries.append(QueryRoute(query_type, handler, read_only=read_only))
            return handler

        return register

    def include_router(self, router: APIRouter) -> None:
        self.routers.append(router)

    def on_start(self, hook: StartHook) -> StartHook:
        self.start_hooks.append(hook)
        return hook


@dataclass
class ServiceRuntime:
    """Everything a running service holds: settings, database, NATS, broker."""

    service: Service[Any]
    settings: ServiceSettings
    db: Database
    broker: NatsBroker
    nc: NatsClient | None = None
    js_context: JetStreamContext | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    provided: dict[type, object] = field(default_factory=dict)
    stopping_hooks: list[Callable[[], None]] = field(default_factory=list)
    loop: asyncio.AbstractEventLoop | None = None

    def on_stopping(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` (in the event loop) as soon as the server is asked to stop, before
        it waits for open connections: e.g. to end long-lived streams."""
        self.stopping_hooks.append(hook)

    def begin_stopping(self) -> None:
        """The server was asked to stop (safe to call from a signal handler)."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._run_stopping_hooks)

    def _run_stopping_hooks(self) -> None:
        for hook in self.stopping_hooks:
            try:
                hook()
            except Exception:
                log.exception("a stopping hook failed")

    @property
    def js(self) -> JetStreamContext:
        assert self.js_context is not None, "runtime not started"
        return self.js_context

    def provide(self, value: object) -> None:
        """Keep a service-specific object built at start-up (found again with ``get``)."""
        self.provided[type(value)] = value

    def get(self, kind: type[T]) -> T:
        value = self.provided[kind]
        assert isinstance(value, kind)
        return value

    @property
    def outbox(self) -> Table:
        return self.service.outbox

    def uow(self, *, read_only: bool = False) -> Any:
        return self.service.uow_class(self.db, self.service.outbox, self.service.inbox,
                                      self.service.name, read_only=read_only)

    async def ready(self) -> dict[str, bool]:
        checks = {"database": True, "nats": bool(self.nc and self.nc.is_connected)}
        try:
            await self.db.ping()
        except Exception:
            checks["database"] = False
        return checks


def build_broker(service: Service[Any], settings: ServiceSettings) -> NatsBroker:
    provider = configure_tracing(service.name, settings.traces_exporter)
    return NatsBroker(
        settings.nats_url,
        middlewares=[NatsTelemetryMiddleware(tracer_provider=provider)],
        logger=None,
    )


async def _raw_body(msg: NatsMessage) -> bytes:
    """FastStream decoder: hand the bytes over untouched (we validate, and dead-letter)."""
    return msg.body


def _consumer(runtime: ServiceRuntime, sub: Subscription[Any, Any]) -> Callable[..., Any]:
    async def consume(body: bytes, msg: NatsMessage) -> None:
        await deliver(runtime, sub, msg.raw_message)

    return consume


def _responder(runtime: ServiceRuntime, route: QueryRoute) -> Callable[..., Any]:
    async def reply(body: bytes) -> dict[str, Any]:
        return await answer(runtime, route, body)

    return reply


def attach_handlers(runtime: ServiceRuntime) -> None:
    """Declare every subscription and query handler of the service on its broker."""
    service, broker, settings = runtime.service, runtime.broker, runtime.settings
    for sub in service.subscriptions:
        broker.subscriber(
            sub.subject,
            stream=JStream(stream_for_subject(sub.subject).name, declare=False),
            durable=sub.durable,
            pull_sub=PullSub(batch_size=settings.consumer_batch_size, timeout=1.0),
            max_workers=settings.consumer_max_workers,
            ack_policy=AckPolicy.MANUAL,
            decoder=_raw_body,
            title=f"{sub.durable}:{sub.subject}",
            description=(sub.handler.__doc__ or "").strip() or None,
        )(_consumer(runtime, sub))
    for route in service.queries:
        broker.subscriber(
            route.query_type.subject(),
            queue=service.name,
            max_workers=settings.rpc_max_workers,
            decoder=_raw_body,
            title=f"{service.name}:{route.query_type.subject()}",
            description=(route.handler.__doc__ or "").strip() or None,
        )(_responder(runtime, route))


def create_runtime(service: Service[Any], settings: ServiceSettings) -> ServiceRuntime:
    runtime = ServiceRuntime(
        service=service,
        settings=settings,
        db=Database.connect(settings.database_url, service.name),
        broker=build_broker(service, settings),
    )
    attach_handlers(runtime)
    return runtime


@contextlib.asynccontextmanager
async def running(runtime: ServiceRuntime) -> AsyncIterator[ServiceRuntime]:
    """Connect, declare streams and consumers, start subscribers and the outbox relay."""
    settings = runtime.settings
    runtime.loop = asyncio.get_running_loop()
    runtime.nc = await nats.connect(settings.nats_url, name=f"igny8-{runtime.service.name}")
    runtime.js_context = runtime.nc.jetstream()
    await declare_streams(runtime.js, replicas=settings.stream_replicas)
    for sub in runtime.service.subscriptions:
        await declare_consumer(
            runtime.js,
            stream_for_subject(sub.subject).name,
            consumer_config(sub.durable, sub.subject, settings.consumer_ack_wait_seconds,
                            settings.consumer_max_attempts + 5),
        )
    # Start hooks first: what they provide is there before the first message is handled.
    for hook in runtime.service.start_hooks:
        await hook(runtime)
    await runtime.broker.start()
    relay = OutboxRelay(runtime.db, runtime.outbox, runtime.js,
                        batch_size=settings.relay_batch_size,
                        poll_seconds=settings.relay_poll_seconds)
    runtime.tasks.append(asyncio.create_task(relay.run(), name="outbox-relay"))
    log.info("service started", subscriptions=[s.durable for s in runtime.service.subscriptions])
    try:
        yield runtime
    finally:
        for task in runtime.tasks:
            task.cancel()
        for task in runtime.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await runtime.broker.stop()
        if runtime.nc is not None:
            await runtime.nc.drain()
        await runtime.db.dispose()
