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
    # A committed change of a user or an account drops their cached identity at once.
    runtime.db.after_commit(security.identities.forget_committed)
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
        cluster_routes,
        events_routes,
        idea_routes,
        integration_routes,
        messages,
        operation_events,
        operations_routes,
        planner_routes,
        publisher_routes,
        sectors_routes,
        site_access_routes,
        sites_routes,
        system_messages,
        system_routes,
        users_routes,
        writer_content_routes,
        writer_image_routes,
        writer_routes,
    )

    if not service.routers:
        for router in writer_image_routes.routers:  # before any writer /tasks/{task_id}/
            service.include_router(router)
        for router in idea_routes.routers:  # before cluster_routes' /{cluster_id}/
            service.include_router(router)
        for router in cluster_routes.routers:  # before planner_routes' /{keyword_id}/
            service.include_router(router)
        for module in (auth_routes, users_routes, sites_routes, sectors_routes,
                       site_access_routes, billing_routes, events_routes, planner_routes):
            service.include_router(module.router)
        service.include_router(system_routes.router)
        for module in (writer_routes, writer_content_routes, author_profile_routes):
            service.include_router(module.router)
        for router in operations_routes.routers:
            service.include_router(router)
        service.include_router(integration_routes.router)
        for router in publisher_routes.routers:
            service.include_router(router)
        for router in bridge_routes.routers:
            service.include_router(router)
    return service
