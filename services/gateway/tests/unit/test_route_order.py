"""Every route of the gateway is reachable whatever order the route modules are registered in:
one module per URL prefix, and inside a module fixed paths (``/bulk_delete/``) are declared
before parameterised ones (``/{task_id}/``).

The app is built with the routers in several orders, and each route's own request (its path
with sample ids, its method) is sent through the app: a dependency every route shares stops
the request as soon as routing has chosen its route, and tells which one."""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Callable

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.routing import Match
from starlette.types import Message

from igny8_gateway.app import load

SAMPLE_ID = "0f0e0d0c-0b0a-4908-8706-050403020100"
Order = Callable[[list[APIRouter]], list[APIRouter]]
ORDERS: dict[str, Order] = {
    "as registered": list,
    "reversed": lambda routers: routers[::-1],
    **{f"shuffled (seed {seed})": (lambda routers, seed=seed: random.Random(seed).sample(
        routers, len(routers))) for seed in range(5)},
}


class Reached(Exception):  # noqa: N818  (the request reached a route)
    def __init__(self, route: APIRoute) -> None:
        super().__init__(route.name)
        self.route = route


def stop_at_the_route(request: Request) -> None:
    raise Reached(request.scope["route"])


def gateway_routes() -> list[APIRoute]:
    return [route for router in load().routers for route in router.routes
            if isinstance(route, APIRoute)]


def sample_request(route: APIRoute, method: str) -> tuple[str, str]:
    """The route's method and path with every parameter filled in (ids are UUIDs)."""
    return method, re.sub(r"\{[^}]+\}", SAMPLE_ID, route.path)


async def route_reached(app: FastAPI, method: str, path: str) -> APIRoute | None:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "root_path": "", "query_string": b"", "headers": [], "server": ("test", 80),
             "client": ("test", 1)}

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        pass

    try:
        await app(scope, receive, send)
    except Reached as reached:
        return reached.route
    return None


@pytest.mark.parametrize("order", list(ORDERS.values()), ids=list(ORDERS))
def test_every_route_answers_its_own_requests_whatever_order_the_modules_load_in(
        order: Order) -> None:
    app = FastAPI(dependencies=[Depends(stop_at_the_route)])
    for router in order(list(load().routers)):
        app.include_router(router)
    routes = gateway_routes()
    assert len(routes) > 100

    async def check() -> None:
        for route in routes:
            for method in sorted(route.methods):
                method, path = sample_request(route, method)
                reached = await route_reached(app, method, path)
                assert reached is not None, f"{method} {path} reaches no route"
                assert (reached.endpoint, reached.path) == (route.endpoint, route.path), (
                    f"{method} {path} reaches {reached.name} ({reached.path}), not {route.name}")

    asyncio.run(check())


def test_only_routes_of_the_same_module_match_the_same_request() -> None:
    """So only the order inside a module can matter, which the test above checks."""
    routes = gateway_routes()
    for route in routes:
        for method in route.methods:
            method, path = sample_request(route, method)
            scope = {"type": "http", "method": method, "path": path, "root_path": ""}
            modules = {other.endpoint.__module__ for other in routes
                       if other.matches(scope)[0] == Match.FULL}
            assert modules == {route.endpoint.__module__}, f"{method} {path}: {sorted(modules)}"


def test_operation_ids_are_the_route_functions_names_and_unique() -> None:
    """What the web app's generated client calls each operation (see ``errors.operation_id``)."""
    app = FastAPI()
    for router in load().routers:
        app.include_router(router)
    ids = [operation["operationId"] for methods in app.openapi()["paths"].values()
           for operation in methods.values()]
    assert len(set(ids)) == len(ids)
    assert sorted(ids) == sorted(route.name for route in gateway_routes() for _ in route.methods)
