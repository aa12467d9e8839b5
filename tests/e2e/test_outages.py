"""The API through outages of PostgreSQL and NATS, with the gateway and the planner as real
processes on a PostgreSQL and a NATS of this test's own (stopped and started again here).

While PostgreSQL is down every answer is a 503 with ``Retry-After`` (or a 200 served without
it), never a 500; while NATS is down a request that needs another service is answered 503 at
once, not after the request timeout; both recover by themselves once the server is back.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from igny8_devtools.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from igny8_devtools.testing import ServiceProcess
from igny8_devtools.testing.processes import StartService
from tests.e2e.conftest import FAST_HASHING, PASSWORD

pytestmark = pytest.mark.integration


@pytest.fixture
def stoppable_nats() -> Iterator[EmbeddedNats]:
    scratch = Path(tempfile.mkdtemp(prefix="igny8-test-nats-"))
    nats = EmbeddedNats(scratch, port=free_port())  # the same port again after a restart
    nats.start()
    try:
        yield nats
    finally:
        nats.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def _probe(client: httpx.Client, path: str, token: str) -> httpx.Response:
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def _wait_until_ok(client: httpx.Client, paths: list[str], token: str, timeout: float) -> float:
    started = time.monotonic()
    while True:
        try:
            if all(_probe(client, p, token).status_code == 200 for p in paths):
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        if time.monotonic() - started > timeout:
            pytest.fail(f"the API did not recover within {timeout}s")
        time.sleep(0.2)


def test_postgres_and_nats_outages_answer_503_with_retry_after_and_recover(
    stoppable_postgres: EmbeddedPostgres, stoppable_nats: EmbeddedNats,
    service_process: StartService,
) -> None:
    assert stoppable_postgres.url is not None
    env = {"DATABASE_URL": stoppable_postgres.url, "NATS_URL": stoppable_nats.url,
           "IGNY8_RPC_TIMEOUT_SECONDS": "5"}
    gateway: ServiceProcess = service_process("gateway", {**env, **FAST_HASHING}, wait=False)
    planner = service_process("planner", env, wait=False)
    gateway.wait_ready(90)
    planner.wait_ready(90)
    with httpx.Client(base_url=gateway.base_url, timeout=30.0) as client:
        email = f"outage-{time.time_ns()}@example.com"
        registered = client.post("/api/v1/auth/register/", json={
            "email": email, "password": PASSWORD, "account_name": "Outage"})
        assert registered.status_code == 201, registered.text
        token = registered.json()["data"]["access"]
        site = client.post("/api/v1/auth/sites/", json={"name": "Outage site"},
                           headers={"Authorization": f"Bearer {token}"})
        assert site.status_code == 201, site.text
        site_id = site.json()["data"]["id"]
        own = "/api/v1/auth/sites/"  # the gateway's own tables
        asked = f"/api/v1/planner/keywords/?site_id={site_id}"  # the planner's, over NATS
        paths = [own, asked]
        assert _wait_until_ok(client, paths, token, 30) < 30

        # PostgreSQL down (for every service) for about 8 s.
        stoppable_postgres.stop()
        down_at = time.monotonic()
        statuses: Counter[int] = Counter()
        without_retry_after = 0
        while time.monotonic() - down_at < 8:
            for path in paths:
                response = _probe(client, path, token)
                statuses[response.status_code] += 1
                if response.status_code == 503 and "retry-after" not in response.headers:
                    without_retry_after += 1
                if response.status_code >= 500:
                    assert response.json()["success"] is False
            time.sleep(0.1)
        stoppable_postgres.start()
        pg_outage = time.monotonic() - down_at
        pg_recovery = _wait_until_ok(client, paths, token, 60)
        print(f"PostgreSQL outage {pg_outage:.1f}s: answers {dict(statuses)}; recovered "
              f"{pg_recovery:.1f}s after it was back")
        assert statuses[503] > 0
        assert set(statuses) <= {200, 503}, statuses
        assert without_retry_after == 0

        # NATS down: a request needing the planner is refused at once, not after 5 s.
        stoppable_nats.stop()
        nats_down_at = time.monotonic()
        time.sleep(1.0)  # the gateway notices the closed connection
        slowest = 0.0
        nats_statuses: Counter[int] = Counter()
        for _ in range(10):
            started = time.monotonic()
            response = _probe(client, asked, token)
            slowest = max(slowest, time.monotonic() - started)
            nats_statuses[response.status_code] += 1
            assert response.status_code == 503, response.text
            assert response.headers["retry-after"]
        stoppable_nats.start()
        nats_outage = time.monotonic() - nats_down_at
        nats_recovery = _wait_until_ok(client, paths, token, 60)
        print(f"NATS outage {nats_outage:.1f}s: answers {dict(nats_statuses)}, slowest "
              f"{slowest:.2f}s; recovered {nats_recovery:.1f}s after it was back")
        assert slowest < 1.0



def test_stopping_with_an_event_stream_open_is_quick_and_clean(
    service_process: StartService,
) -> None:
    gateway = service_process("gateway", FAST_HASHING)
    with httpx.Client(base_url=gateway.base_url, timeout=30.0) as client:
        registered = client.post("/api/v1/auth/register/", json={
            "email": f"stream-{time.time_ns()}@example.com", "password": PASSWORD,
            "account_name": "Stream"})
        token = registered.json()["data"]["access"]
        seen: list[str] = []
        with client.stream("GET", "/api/v1/events/stream",
                           headers={"Authorization": f"Bearer {token}"}) as stream:
            lines = stream.iter_lines()
            for line in lines:
                if "connected" in line:
                    break
            started = time.monotonic()
            code = gateway.terminate(timeout=30)
            took = time.monotonic() - started
            seen.extend(lines)
    log = gateway.log_path.read_text(errors="replace").rsplit("===== start #", 1)[-1]
    print(f"stopped in {took:.1f}s with a stream open; exit code {code}")
    assert took < 3.0
    assert any("stream.closed" in line for line in seen)
    assert "Traceback" not in log and "CancelledError" not in log
