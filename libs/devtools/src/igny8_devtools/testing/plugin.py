"""pytest plugin (``-p igny8_devtools.testing.plugin``): real NATS and PostgreSQL for tests.

Session fixtures, all lazy (a test that does not ask for them starts nothing):

* ``nats_url``: ``$NATS_URL`` if set, else an embedded JetStream NATS on a free 127.0.0.1 port.
* ``pg_server_url``: ``$DATABASE_URL`` if set, else an embedded PostgreSQL (UNIX socket only).
* ``stoppable_postgres``: an embedded PostgreSQL of one test's own, which it may stop and
  start again (outage tests).
* ``database_url``: a fresh, uniquely named database on that server for this session (dropped
  at the end unless ``IGNY8_KEEP_TEST_DB=true``), so tests never see someone else's data.
* ``service_process``: a function starting ``python -m igny8_<name> serve`` on a free port
  against the two above (see ``ServiceProcess``); every one is stopped at session end.

If the infrastructure cannot start the tests needing it fail (never skip) with the reason.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from igny8_devtools.embedded import (
    EmbeddedNats,
    EmbeddedPostgres,
    create_database,
    drop_database,
)
from igny8_devtools.settings import DevSettings
from igny8_devtools.testing.processes import ServiceProcess, StartService, run_service_command


def pytest_report_header(config: pytest.Config) -> list[str]:
    settings = DevSettings()
    nats = "NATS_URL" if settings.nats_url else "embedded (on first use)"
    pg = "DATABASE_URL" if settings.database_url else "embedded (on first use)"
    return [f"igny8: NATS from {nats}; PostgreSQL from {pg}"]


@pytest.fixture(scope="session")
def igny8_tmp_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A per-session scratch folder (service logs, JWT keys, the services' media store)."""
    return tmp_path_factory.mktemp("igny8")


@pytest.fixture(scope="session")
def nats_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a NATS server with JetStream: ``$NATS_URL`` or an embedded one."""
    from_env = DevSettings().nats_url
    if from_env:
        yield from_env
        return
    nats = EmbeddedNats(tmp_path_factory.mktemp("nats"))
    try:
        url = nats.start()
    except Exception as exc:
        nats.stop()
        pytest.fail(
            f"could not start the embedded NATS server (set NATS_URL to use another): {exc}",
            pytrace=False,
        )
    try:
        yield url
    finally:
        nats.stop()


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a PostgreSQL server: ``$DATABASE_URL`` or an embedded one."""
    from_env = DevSettings().database_url
    if from_env:
        yield from_env
        return
    # Not under pytest's basetemp: when we are root, PostgreSQL runs as another user and needs
    # to traverse the parent folders, but every pytest session resets its basetemp root to 0700.
    scratch = Path(tempfile.mkdtemp(prefix="igny8-test-pg-"))
    postgres = EmbeddedPostgres(scratch / "pgdata")
    try:
        url = postgres.start()
    except Exception as exc:
        postgres.stop()
        shutil.rmtree(scratch, ignore_errors=True)
        pytest.fail(
            "could not start the embedded PostgreSQL server (set DATABASE_URL to use another): "
            f"{exc}",
            pytrace=False,
        )
    try:
        yield url
    finally:
        postgres.stop()
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture
def stoppable_postgres() -> Iterator[EmbeddedPostgres]:
    """An embedded PostgreSQL of this test's own (started; database ``igny8``), for tests that
    stop and start it (``.stop()`` / ``.start()``, same data and URL) without disturbing the
    session's server. Stopped at the end of the test."""
    scratch = Path(tempfile.mkdtemp(prefix="igny8-test-pg-"))
    postgres = EmbeddedPostgres(scratch / "pgdata")
    try:
        postgres.start()
    except Exception as exc:
        postgres.stop()
        shutil.rmtree(scratch, ignore_errors=True)
        pytest.fail(f"could not start an embedded PostgreSQL of the test's own: {exc}",
                    pytrace=False)
    try:
        yield postgres
    finally:
        postgres.stop()
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url(pg_server_url: str) -> Iterator[str]:
    """A new, empty database for this test session on the ``pg_server_url`` server."""
    name = f"igny8_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        url = create_database(pg_server_url, name)
    except Exception as exc:
        pytest.fail(f"could not create test database {name!r}: {exc}", pytrace=False)
    try:
        yield url
    finally:
        if not DevSettings().keep_test_db:
            drop_database(pg_server_url, name)


@pytest.fixture(scope="session")
def secrets_keys() -> str:
    """The session's ``IGNY8_SECRETS_KEYS``: every service started by ``service_process``
    shares it, so one service opens what another encrypted (and tests can too)."""
    from igny8_runtime.secrets import SecretBox

    return SecretBox.generate_key()


@pytest.fixture(scope="session")
def service_process(
    nats_url: str, database_url: str, igny8_tmp_dir: Path, secrets_keys: str
) -> Iterator[StartService]:
    """``start(name, env=None, *, wait=True, timeout=60, port=None, migrate=True)`` → a
    running ``ServiceProcess`` with ``DATABASE_URL``, ``NATS_URL``, ``IGNY8_JWT_KEY_DIR`` and
    ``IGNY8_MEDIA_DIR`` (``<igny8_tmp_dir>/media``) set for this session (``env`` overrides
    them). First runs ``python -m igny8_<name> migrate`` (unless ``migrate=False``); then
    waits for ``/readyz`` (unless ``wait=False``). All are stopped at the end of the session."""
    started: list[ServiceProcess] = []
    jwt_dir = igny8_tmp_dir / "jwt"
    jwt_dir.mkdir(exist_ok=True)
    media_dir = igny8_tmp_dir / "media"
    media_dir.mkdir(exist_ok=True)
    log_dir = igny8_tmp_dir / "logs"

    def start(
        name: str,
        env: Mapping[str, str] | None = None,
        *,
        wait: bool = True,
        timeout: float = 60.0,
        port: int | None = None,
        module: str | None = None,
        migrate: bool = True,
    ) -> ServiceProcess:
        merged = {
            "DATABASE_URL": database_url,
            "NATS_URL": nats_url,
            "IGNY8_JWT_KEY_DIR": str(jwt_dir),
            # One media folder for every service (writer writes images, gateway and publisher read).
            "IGNY8_MEDIA_DIR": str(media_dir),
            # One secrets key for every service (the gateway encrypts AI keys, others open them).
            "IGNY8_SECRETS_KEYS": secrets_keys,
            # Accounts' AI providers in tests are fake servers on 127.0.0.1 (igny8_ai.account).
            "IGNY8_AI_ALLOW_LOOPBACK": "true",
        }
        merged.update(env or {})
        if migrate:
            run_service_command(name, "migrate", merged, module=module)
        proc = ServiceProcess(name, merged, port=port, log_dir=log_dir, module=module)
        started.append(proc)
        if wait:
            proc.wait_ready(timeout)
        return proc

    try:
        yield start
    finally:
        for proc in reversed(started):
            proc.terminate()
