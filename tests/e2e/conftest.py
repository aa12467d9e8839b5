"""End-to-end fixtures: the gateway and billing as real processes (``python -m igny8_<name>
serve``) against the session's NATS and PostgreSQL, driven through the gateway's HTTP API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from igny8_devtools.testing import ServiceProcess
from igny8_devtools.testing.processes import StartService
from igny8_runtime.db import sqlalchemy_url
from tests.e2e.service_fixtures import (  # noqa: F401  (once; see that module)
    automation,
    planner,
    publisher,
    writer,
)
from tests.wordpress.fixtures import fresh_wordpress, wordpress  # noqa: F401

PASSWORD = "Correct-Horse-42!"

# argon2 at its smallest legal cost: the suite signs in hundreds of times.
FAST_HASHING = {
    "IGNY8_ARGON2_TIME_COST": "1",
    "IGNY8_ARGON2_MEMORY_COST": "1024",
    "IGNY8_ARGON2_PARALLELISM": "1",
}


# ------------------------------------------------------------------------------ processes


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    migrations = {
        service: subprocess.Popen([sys.executable, "-m", f"igny8_{service}", "migrate"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for service in ("gateway", "billing")
    }
    for service, proc in migrations.items():
        output, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0, f"{service} migrate failed:\n{output}"
    return database_url


@pytest.fixture(scope="session")
def services(
    service_process: StartService, migrated_database: str
) -> tuple[ServiceProcess, ServiceProcess]:
    """Gateway and billing, started side by side, both ready."""
    gateway = service_process("gateway", FAST_HASHING, wait=False)
    billing = service_process("billing", wait=False)
    return gateway.wait_ready(60), billing.wait_ready(60)


@pytest.fixture(scope="session")
def gateway(services: tuple[ServiceProcess, ServiceProcess]) -> ServiceProcess:
    return services[0]


@pytest.fixture(scope="session")
def billing(services: tuple[ServiceProcess, ServiceProcess]) -> ServiceProcess:
    return services[1]


@pytest.fixture(scope="session")
def jwt_key_dir(igny8_tmp_dir: Path, gateway: ServiceProcess) -> Path:
    """Where the session's gateway keeps its signing keys (set by ``service_process``)."""
    return igny8_tmp_dir / "jwt"


@pytest.fixture(scope="session")
def api(gateway: ServiceProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gateway.base_url, timeout=20.0) as client:
        yield client


# ------------------------------------------------------------------------------ database


class Database:
    """Direct reads of the gateway's schema, to prove what was (not) written."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()

    def scalars(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params).scalars())

    def counts(self) -> dict[str, int]:
        tables = ("accounts", "users", "sites", "sectors", "site_access", "outbox")
        return {t: int(self.scalar(f"SELECT count(*) FROM gateway.{t}")) for t in tables}

    def contents(self) -> dict[str, set[str]]:
        """Every identity row, whole (as PostgreSQL's text of the row), and the outbox's event
        ids (its ``published_at`` is the relay's to change): an UPDATE shows, not only an
        INSERT or DELETE. Compare two with ``changed_rows``."""
        tables = ("accounts", "users", "sites", "sectors", "site_access")
        rows = {t: set(self.scalars(f"SELECT t::text FROM gateway.{t} t")) for t in tables}
        rows["outbox"] = set(self.scalars("SELECT id::text FROM gateway.outbox"))
        return rows


def changed_rows(before: dict[str, set[str]], after: dict[str, set[str]]) -> dict[str, Any]:
    """What differs between two ``Database.contents()``: per table, the rows gone and new
    (an updated row is both); empty when nothing changed."""
    return {table: {"gone": sorted(before[table] - after[table]),
                    "new": sorted(after[table] - before[table])}
            for table in before if before[table] != after[table]}


@pytest.fixture(scope="session")
def db(migrated_database: str) -> Iterator[Database]:
    engine = create_engine(sqlalchemy_url(migrated_database))
    yield Database(engine)
    engine.dispose()


# ------------------------------------------------------------------------------ people


@dataclass
class Member:
    """A signed-in user: their profile and tokens."""

    email: str
    user: dict[str, Any]
    access: str
    refresh: str

    @property
    def id(self) -> str:
        return str(self.user["id"])

    @property
    def account_id(self) -> str:
        return str(self.user["account"]["id"] if "account" in self.user
                   else self.user["account_id"])

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


class Gateway:
    """The gateway's HTTP API for tests: a request shortcut, set-up helpers, and the checks
    every answer must pass (tests reach them through the ``gw`` fixture)."""

    password = PASSWORD

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def call(self, method: str, path: str, member: Member | None = None,
             **kwargs: Any) -> httpx.Response:
        headers = {**kwargs.pop("headers", {}), **(member.headers if member else {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    # -- checks ---------------------------------------------------------------------------

    @staticmethod
    def ok(response: httpx.Response, status: int = 200) -> Any:
        """``data`` of a successful answer in the unified format."""
        assert response.status_code == status, response.text
        body = response.json()
        assert body["success"] is True
        assert body["request_id"] == response.headers["x-request-id"]
        return body["data"]

    @staticmethod
    def listing(response: httpx.Response) -> dict[str, Any]:
        """A paginated answer: ``count``, ``next``, ``previous``, ``results``."""
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["success"] is True
        assert set(body) >= {"count", "next", "previous", "results", "request_id"}
        return body

    @staticmethod
    def fail(response: httpx.Response, status: int) -> dict[str, Any]:
        """The unified error format: ``success`` false, an ``error`` message, the request id."""
        assert response.status_code == status, response.text
        body: dict[str, Any] = response.json()
        assert body["success"] is False
        assert isinstance(body["error"], str)
        assert body["error"]
        assert body["request_id"] == response.headers["x-request-id"]
        return body

    @staticmethod
    def unique_email(label: str = "user") -> str:
        return f"{label}-{uuid.uuid4().hex[:12]}@example.com"

    @staticmethod
    def wait_for(predicate: Callable[[], Any], timeout: float, interval: float = 0.1) -> Any:
        """Poll ``predicate()`` until it returns something truthy; fail after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                pytest.fail(f"condition not met within {timeout}s (last: {result!r})")
            time.sleep(interval)

    # -- set-up -----------------------------------------------------------------------------

    def register(self, label: str = "owner", **extra: Any) -> Member:
        email = self.unique_email(label)
        body = {"email": email, "password": PASSWORD, "account_name": f"Account {label}", **extra}
        data = self.ok(self.call("POST", "/api/v1/auth/register/", json=body), 201)
        return Member(email, data["user"], data["access"], data["refresh"])

    def login(self, email: str, password: str = PASSWORD) -> Member:
        data = self.ok(self.call("POST", "/api/v1/auth/login/",
                                 json={"email": email, "password": password}))
        return Member(email, data["user"], data["access"], data["refresh"])

    def add_member(self, by: Member, role: str) -> Member:
        email = self.unique_email(role)
        self.ok(self.call("POST", "/api/v1/auth/users/", by,
                          json={"email": email, "password": PASSWORD, "role": role}), 201)
        return self.login(email)

    def create_site(self, by: Member, name: str = "Site", domain: str | None = None) -> Any:
        return self.ok(self.call("POST", "/api/v1/auth/sites/", by,
                                 json={"name": name, "domain": domain}), 201)

    def create_sector(self, by: Member, site_id: str, name: str = "Sector") -> Any:
        return self.ok(self.call("POST", "/api/v1/auth/sectors/", by,
                                 json={"site_id": site_id, "name": name}), 201)

    def grant(self, by: Member, site_id: str, user_id: str) -> Any:
        return self.ok(self.call("POST", "/api/v1/auth/site-access/", by,
                                 json={"site_id": site_id, "user_id": user_id}), 201)


@pytest.fixture
def gw(api: httpx.Client) -> Gateway:
    return Gateway(api)


@dataclass
class Team:
    """One account with a user of every customer role, two sites (only the first granted to
    the editor and the viewer) and a sector on each."""

    owner: Member
    admin: Member
    editor: Member
    viewer: Member
    granted_site: dict[str, Any]
    other_site: dict[str, Any]
    granted_sector: dict[str, Any]
    other_sector: dict[str, Any]
    editor_grant: dict[str, Any]
    viewer_grant: dict[str, Any]

    def member(self, role: str) -> Member:
        member: Member = getattr(self, role)
        return member


def build_team(gw: Gateway) -> Team:
    owner = gw.register("owner")
    admin, editor, viewer = (gw.add_member(owner, role) for role in ("admin", "editor", "viewer"))
    granted_site = gw.create_site(owner, "Granted", "granted.example.com")
    other_site = gw.create_site(owner, "Other", "other.example.com")
    return Team(
        owner=owner, admin=admin, editor=editor, viewer=viewer,
        granted_site=granted_site, other_site=other_site,
        granted_sector=gw.create_sector(owner, granted_site["id"], "Granted sector"),
        other_sector=gw.create_sector(owner, other_site["id"], "Other sector"),
        editor_grant=gw.grant(owner, granted_site["id"], editor.id),
        viewer_grant=gw.grant(owner, granted_site["id"], viewer.id),
    )


@pytest.fixture
def team(gw: Gateway) -> Team:
    return build_team(gw)


@pytest.fixture(scope="module")
def module_team(api: httpx.Client) -> Team:
    """One team for a module's read-only checks (writes need a fresh ``team`` each)."""
    return build_team(Gateway(api))
