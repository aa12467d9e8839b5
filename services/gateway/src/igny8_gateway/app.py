"""The gateway service: its tables, unit of work, start-up, and (imported in ``load``) its
routes and event handlers."""

from __future__ import annotations

import asyncio

from igny8_gateway.adapters.event_hub import EventHub
from igny8_gateway.adapters.orm import metadata
from igny8_gateway.security import build_security
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_gateway.settings import GatewaySettings
from igny8_runtime.service import Service, ServiceRuntime

service: Service[GatewayUnitOfWork] = Service("gateway", metadata, GatewayUnitOfWork)


@service.on_start
async def open_security(runtime: ServiceRuntime) -> None:
    """Load the JWT keys (creating one on first start) and set up the password hasher."""
    security = await asyncio.to_thread(build_security, GatewaySettings())
    runtime.provide(security)


@service.on_start
async def start_event_hub(runtime: ServiceRuntime) -> None:
    """Live events for server-sent-event clients (one NATS subscription per process)."""
    assert runtime.nc is not None
    hub = EventHub()
    runtime.provide(hub)
    runtime.tasks.append(asyncio.create_task(hub.run(runtime.nc), name="event-hub"))


def load() -> Service[GatewayUnitOfWork]:
    """The service with every route and handler registered (once)."""
    from igny8_gateway.entrypoints import (  # noqa: F401  (messages registers handlers)
        auth_routes,
        author_profile_routes,
        billing_routes,
        bridge_routes,
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
    )

    if not service.routers:
        # One module per URL prefix: the order of registration does not matter.
        for module in (keywords_routes, clusters_routes, ideas_routes, tasks_routes,
                       content_routes, images_routes):
            service.include_router(module.router)
        for module in (auth_routes, users_routes, sites_routes, sectors_routes,
                       site_access_routes, billing_routes, events_routes):
            service.include_router(module.router)
        service.include_router(system_routes.router)
        service.include_router(author_profile_routes.router)
        for router in operations_routes.routers:
            service.include_router(router)
        service.include_router(integration_routes.router)
        for router in publisher_routes.routers:
            service.include_router(router)
        for router in bridge_routes.routers:
            service.include_router(router)
    return service
