"""The planner, the writer, the publisher and the automation as real processes, each started
ONCE per session.

``tests/e2e/conftest.py`` imports the two fixtures; test modules must not import them: a
module importing a session-scoped fixture function defines it again, gets its own instance,
and two publishers (or writers) would then compete for the same durable consumers.

Tests that need the one instance changed for a while use ``reconfigured`` (restarted with
extra environment, e.g. a failpoint, and restarted as it was afterwards) or ``paused``
(stopped while a stand-in answers in its place, started again afterwards)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from igny8_devtools.testing import ServiceProcess
from igny8_devtools.testing.processes import StartService

PUBLISHER_ENV = {"IGNY8_PUBLISHER_ALLOW_LOOPBACK": "true"}
# The sweeper looks for due runs often: stages follow each other without waiting a second.
AUTOMATION_ENV = {"IGNY8_AUTOMATION_TICK_SECONDS": "0.2"}
# One article at a time: the fault tests know which task meets which injected fault.
WRITER_ENV = {"IGNY8_WRITER_GENERATION_CONCURRENCY": "1"}
# Generous: on a loaded machine importing a service (the planner's scikit-learn) takes a minute.
READY_TIMEOUT = 240
AUTOMATION_READY_TIMEOUT = READY_TIMEOUT

_STARTED = pytest.StashKey[dict[str, ServiceProcess]]()


def _keep(request: pytest.FixtureRequest, process: ServiceProcess) -> ServiceProcess:
    request.config.stash.setdefault(_STARTED, {})[process.name] = process
    return process


@pytest.fixture(scope="session")
def writer(request: pytest.FixtureRequest, service_process: StartService,
           gateway: ServiceProcess, billing: ServiceProcess) -> ServiceProcess:
    return _keep(request, service_process("writer", WRITER_ENV, timeout=READY_TIMEOUT))


@pytest.fixture(scope="session")
def planner(request: pytest.FixtureRequest, service_process: StartService,
            gateway: ServiceProcess) -> ServiceProcess:
    return _keep(request, service_process("planner", timeout=READY_TIMEOUT))


@pytest.fixture(scope="session")
def publisher(request: pytest.FixtureRequest, service_process: StartService,
              gateway: ServiceProcess) -> ServiceProcess:
    return _keep(request, service_process("publisher", PUBLISHER_ENV, timeout=READY_TIMEOUT))


@pytest.fixture(scope="session")
def automation(request: pytest.FixtureRequest, service_process: StartService,
               gateway: ServiceProcess, billing: ServiceProcess) -> ServiceProcess:
    return _keep(request, service_process("automation", AUTOMATION_ENV,
                                          timeout=AUTOMATION_READY_TIMEOUT))


def started(request: pytest.FixtureRequest, name: str) -> ServiceProcess | None:
    """The session's ``name`` service if its fixture has started it (None otherwise)."""
    return request.config.stash.get(_STARTED, {}).get(name)


@contextlib.contextmanager
def paused(request: pytest.FixtureRequest, name: str) -> Iterator[None]:
    """The session's ``name`` service stopped meanwhile (if it runs) and started again after,
    so that a stand-in is the only one answering."""
    process = started(request, name)
    if process is None or not process.is_running:
        yield
        return
    process.terminate()
    try:
        yield
    finally:
        process.start().wait_ready(READY_TIMEOUT)


@contextlib.contextmanager
def reconfigured(process: ServiceProcess, **env: str) -> Iterator[ServiceProcess]:
    """``process`` restarted with ``env`` over its own environment meanwhile (the test may
    kill and start it again), then restarted with its own environment (and ready) after."""
    own = dict(process.env)
    process.terminate()
    process.env.update(env)
    try:
        yield process.start().wait_ready(READY_TIMEOUT)
    finally:
        process.terminate()
        process.env.clear()
        process.env.update(own)
        process.start().wait_ready(READY_TIMEOUT)
