"""``/openapi.json`` is the contract the web app generates its client from: it validates, every
operation declares its successful answer and is named after its route function, and the
running gateway keeps it (schemathesis sends every operation generated requests, valid and
invalid, as a registered account's owner: no 5xx, and status code, content type and body as
documented)."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from igny8_devtools.testing import ServiceProcess
from tests.e2e.conftest import Gateway

pytestmark = pytest.mark.e2e

# Operations schemathesis does not call, each with its reason.
NOT_FUZZED: dict[str, str] = {
    "stream_events": "a server-sent event stream that stays open until the token expires; "
                     "tests/e2e/test_events_stream.py covers it",
}

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# Bounded so every operation gets valid and invalid requests within a few minutes on 2 cores.
MAX_EXAMPLES = 12

# Generated requests must not make the services reach out to the addresses they name (an AI
# provider's base URL, a WordPress site): those fields are pointed at a closed local port.
CLOSED_LOCAL_URL = "http://127.0.0.1:9/"
OUTBOUND_URL_FIELDS = {"check_ai_connection": "base_url", "save_ai_settings": "base_url",
                       "check_wordpress_connection": "url"}
# A documentation-range address of its own (uvicorn trusts X-Forwarded-For from 127.0.0.1):
# the failed sign-ins and webhooks it sends count against no other test's address.
CLIENT_ADDRESS = {"X-Forwarded-For": f"2001:db8:5c4e::{uuid.uuid4().hex[:4]}"}


@pytest.fixture(scope="module")
def document(api: httpx.Client) -> dict[str, Any]:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, operation) for path, methods in document["paths"].items()
            for method, operation in methods.items()]


def test_the_document_validates(document: dict[str, Any]) -> None:
    validate(document)


def declares_its_answer(operation: dict[str, Any]) -> bool:
    """A 2xx answer whose JSON has a schema, or that is not JSON (an image, an event stream),
    or that has no body (304, 204)."""
    for status, response in operation["responses"].items():
        if not status.startswith("2"):
            continue
        content = response.get("content", {})
        json_schema = content.get("application/json", {}).get("schema")
        if json_schema or set(content) - {"application/json"}:
            return True
    return False


def test_every_operation_declares_its_successful_answer(document: dict[str, Any]) -> None:
    undeclared = [f"{method.upper()} {path}" for path, method, operation in operations(document)
                  if not declares_its_answer(operation)]
    assert undeclared == []


def test_operation_ids_are_unique_route_function_names(document: dict[str, Any]) -> None:
    from igny8_gateway.app import load

    ids = Counter(operation["operationId"] for _, _, operation in operations(document))
    assert [name for name, count in ids.items() if count > 1] == []
    function_names = {route.name for router in load().routers for route in router.routes}
    assert set(ids) <= function_names


def test_a_page_number_past_any_list_is_refused_not_a_server_error(gw: Gateway) -> None:
    """Found by schemathesis: a page number whose offset overflows PostgreSQL's bigint."""
    owner = gw.register("pages")
    body = gw.fail(gw.call("GET", "/api/v1/auth/sites/?page=36893488147419103232", owner), 400)
    assert set(body["errors"]) == {"page"}
    assert gw.listing(gw.call("GET", "/api/v1/auth/sites/?page=1000000", owner))["results"] == []


# ------------------------------------------------------------------------------ schemathesis


def the_gateways_document() -> dict[str, Any]:
    """The document the gateway's code serves, built without running it (schemathesis makes
    its tests when this module is collected; they call the running gateway)."""
    from igny8_gateway.app import load
    from igny8_runtime.http import create_app
    from igny8_runtime.settings import ServiceSettings

    document: dict[str, Any] = create_app(load(), ServiceSettings()).openapi()
    return document


def test_the_running_gateway_serves_that_document(document: dict[str, Any]) -> None:
    assert document == the_gateways_document()


class Owner:
    """A registered account's owner whose access token is refreshed well before it expires
    (the fuzzing may outlast one)."""

    REFRESH_AFTER_SECONDS = 300

    def __init__(self, gw: Gateway) -> None:
        self.gw = gw
        self.member = gw.register("schemathesis")
        self.issued = time.monotonic()

    def headers(self) -> dict[str, str]:
        if time.monotonic() - self.issued > self.REFRESH_AFTER_SECONDS:
            pair = self.gw.ok(self.gw.call("POST", "/api/v1/auth/refresh/",
                                           json={"refresh": self.member.refresh}))
            self.member.access, self.member.refresh = pair["access"], pair["refresh"]
            self.issued = time.monotonic()
        return {**CLIENT_ADDRESS, **self.member.headers}


@pytest.fixture(scope="module")
def fuzzing(gateway: ServiceProcess, billing: ServiceProcess, planner: ServiceProcess,
            writer: ServiceProcess, publisher: ServiceProcess, api: httpx.Client) -> Owner:
    """Every service answering (so no operation fails for want of its owner), and who asks."""
    return Owner(Gateway(api))


def keep_outbound_calls_local(case: Any) -> None:
    field = OUTBOUND_URL_FIELDS.get(case.operation.definition.raw.get("operationId", ""))
    if field is not None and isinstance(case.body, dict) and field in case.body:
        case.body[field] = CLOSED_LOCAL_URL


schema = schemathesis.openapi.from_dict(
    the_gateways_document(),
    config=schemathesis.Config.from_dict({"seed": 8, "generation": {"max-examples": MAX_EXAMPLES}}),
).exclude(operation_id=list(NOT_FUZZED))


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_the_gateway_answers_as_documented(case: Any, gateway: ServiceProcess,
                                          fuzzing: Owner) -> None:
    keep_outbound_calls_local(case)
    case.call_and_validate(base_url=gateway.base_url, headers=fuzzing.headers(), timeout=70,
                           checks=CHECKS)
