"""The gateway service: its tables, unit of work, start-up, and (imported in ``load``) its
routes and event handlers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from igny8_gateway.adapters.event_hub import EventHub
from igny8_gateway.adapters.orm import metadata
from igny8_gateway.security import build_security
from igny8_gateway.service_layer import operations
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_gateway.settings import GatewaySettings
from igny8_runtime.periodic import every
from igny8_runtime.service import Service, ServiceRuntime

STALE_BATCH = 500

service: Service[GatewayUnitOfWork] = Service("gateway", metadata, GatewayUnitOfWork)


@service.on_start
async def open_security(runtime: ServiceRuntime) -> None:
    """Load the JWT keys (creating one on first start) and set up the password hasher."""
    security = await asyncio.to_thread(build_security, GatewaySettings())
    # A committed change of a user or an account drops their cached identity at once.
    runtime.db.after_commit(security.identities.forget_committed)
    runtime.provide(security)


@service.on_start
async def start_event_hub(runtime: ServiceRuntime) -> None:
    """Live events for server-sent-event clients (one NATS subscription per process)."""
    assert runtime.nc is not None
    hub = EventHub()
    runtime.provide(hub)
    # Streams end as soon as the server is asked to stop, so it need not wait for them.
    runtime.on_stopping(lambda: hub.close_all("the server is shutting down; reconnect shortly"))
    runtime.tasks.append(asyncio.create_task(hub.run(runtime.nc), name="event-hub"))


@service.on_start
async def start_stale_operation_sweeper(runtime: ServiceRuntime) -> None:
    """Fail the operations whose work died (no update for ``operation_stale_after_seconds``)."""
    settings = GatewaySettings()
    quiet_for = timedelta(seconds=settings.operation_stale_after_seconds)

    async def sweep() -> int:
        return await operations.fail_stale_operations(runtime.uow(), datetime.now(UTC),
                                                      quiet_for, STALE_BATCH)

    runtime.tasks.append(asyncio.create_task(
        every(settings.operation_sweep_interval_seconds, "fail-stale-operations", sweep),
        name="fail-stale-operations"))


def load() -> Service[GatewayUnitOfWork]:
    """The service with every route and handler registered (once)."""
    from igny8_gateway.entrypoints import (  # noqa: F401  (messages registers handlers)
        auth_routes,
        author_profile_routes,
        automation_routes,
        billing_routes,
        clusters_routes,
        content_routes,
        events_routes,
        ideas_routes,
        images_routes,
        integration_routes,
        keywords_routes,
        messages,
        operation_events,
        operations_routes,
        publisher_routes,
        sectors_routes,
        site_access_routes,
        sites_routes,
        system_messages,
        system_routes,
        tasks_routes,
        users_routes,
        webhooks_routes,
    )

    if not service.routers:
        # One module per URL prefix: the order of registration does not matter
        # (services/gateway/tests/unit/test_route_order.py).
        for module in (auth_routes, users_routes, sites_routes, sectors_routes,
                       site_access_routes, billing_routes, events_routes, system_routes,
                       author_profile_routes, operations_routes, integration_routes,
                       publisher_routes, webhooks_routes, keywords_routes, clusters_routes,
                       ideas_routes, tasks_routes, content_routes, images_routes,
                       automation_routes):
            for router in module.routers:
                service.include_router(router)
    return service
