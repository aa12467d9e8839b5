"""Embedded NATS / PostgreSQL, the pytest plugin's fixtures, ServiceProcess and devrun."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nats
import psycopg
import pytest

from igny8_devtools import devrun
from igny8_devtools.embedded import (
    MAX_CONNECTIONS,
    EmbeddedError,
    EmbeddedNats,
    EmbeddedPostgres,
    create_database,
    drop_database,
    free_port,
    port_is_free,
)
from igny8_devtools.settings import DevSettings
from igny8_devtools.testing.processes import (
    ServiceProcess,
    ServiceProcessError,
    StartService,
    run_service_command,
)

# ------------------------------------------------------------------------------------ helpers


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline and _pid_alive(int(entry.name)):
            found.append(f"{entry.name}: {cmdline}")
    return found


def _read_pid(path: Path) -> int:
    return int(path.read_text().split()[0])


@contextlib.contextmanager
def _listening(port: int) -> Iterator[None]:
    """Make sure something listens on 127.0.0.1:``port`` (ours if nobody does already)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with contextlib.suppress(OSError):  # already taken (e.g. system NATS / PostgreSQL)
            sock.bind(("127.0.0.1", port))
            sock.listen()
        yield
    finally:
        sock.close()


FAKE_SERVICE = '''
"""A stand-in for ``python -m igny8_<name> migrate|serve`` (real services may not exist yet)."""
import os, signal, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

command = sys.argv[1] if len(sys.argv) > 1 else ""
if command == "migrate":
    print("fake migrate ran", flush=True)
    sys.exit(int(os.environ.get("FAKE_MIGRATE_EXIT", "0")))
if command != "serve":
    sys.exit(64)
if os.environ.get("FAKE_FAIL"):
    print("boom: fake service cannot start", flush=True)
    sys.exit(2)

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        code = 200 if self.path in ("/readyz", "/healthz") else 404
        self.send_response(code)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass

port = int(os.environ["IGNY8_HTTP_PORT"])
server = ThreadingHTTPServer((os.environ.get("IGNY8_HTTP_HOST", "127.0.0.1"), port), Handler)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
if os.environ.get("FAKE_DIE_AFTER"):
    threading.Timer(float(os.environ["FAKE_DIE_AFTER"]), lambda: os._exit(3)).start()
print(
    f"fake serving pid={os.getpid()} port={port} nats={os.environ.get('NATS_URL')} "
    f"db={os.environ.get('DATABASE_URL')} jwt={os.environ.get('IGNY8_JWT_KEY_DIR')}",
    flush=True,
)
server.serve_forever()
print("fake stopped cleanly", flush=True)
'''


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A temp folder outside pytest's basetemp (which every pytest session resets to 0700;
    as root, PostgreSQL runs as user ``pgserver`` and must traverse the parent folders)."""
    path = Path(tempfile.mkdtemp(prefix="igny8-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def fake_service_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A folder for PYTHONPATH holding package ``igny8_fakesvc`` (see FAKE_SERVICE)."""
    root = tmp_path_factory.mktemp("fakesvc")
    package = root / "igny8_fakesvc"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(FAKE_SERVICE)
    return str(root)


class DevrunProcess:
    """``python -m igny8_devtools.devrun`` in a subprocess whose output we can wait for."""

    def __init__(
        self,
        data_dir: Path,
        args: list[str],
        *,
        fake_service_port: int | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "DATABASE_URL")}
        env.update(extra_env or {})
        env["IGNY8_DATA_DIR"] = str(data_dir)
        env["PYTHONUNBUFFERED"] = "1"
        if fake_service_port is None:
            argv = [sys.executable, "-m", "igny8_devtools.devrun", *args]
        else:  # the same devrun, with SERVICES replaced by the fake service
            code = (
                "import sys; from igny8_devtools import devrun; "
                f"devrun.SERVICES = (devrun.ServiceSpec('fakesvc', {fake_service_port}),); "
                "sys.exit(devrun.main(sys.argv[1:]))"
            )
            argv = [sys.executable, "-c", code, *args]
        self.proc = subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"devrun did not print {text!r}; output:\n{self.output}")
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(
                    f"devrun exited ({self.proc.wait()}) before printing {text!r}; output:\n{self.output}"
                )
            self.lines.append(line)
            if text in line:
                return line

    def wait_exit(self, timeout: float = 30.0) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"devrun did not exit; output:\n{self.output}") from None
        while (line := self._queue.get(timeout=5)) is not None:
            self.lines.append(line)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# ------------------------------------------------------------------------------------ ports


def test_free_port_avoids_standard_ports_in_use() -> None:
    with _listening(4222), _listening(5432):
        assert not port_is_free(4222)
        assert not port_is_free(5432)
        ports = {free_port() for _ in range(200)}
    assert not ports & {4222, 5432, 8000, 8001, 8002, 8003, 8004}
    assert all(1024 < p < 65536 for p in ports)


def test_port_is_free_sees_a_listener() -> None:
    port = free_port()
    assert port_is_free(port)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        assert not port_is_free(port)


# ------------------------------------------------------------------------------------ NATS


async def test_embedded_nats_jetstream_roundtrip(tmp_path: Path) -> None:
    server = EmbeddedNats(tmp_path / "nats")
    url = server.start()
    try:
        assert server.port not in (4222, None)
        assert url == f"nats://127.0.0.1:{server.port}"
        nc = await nats.connect(url, connect_timeout=5)
        try:
            js = nc.jetstream()
            await js.add_stream(name="EMBEDDED_TEST", subjects=["embedded.test.>"])
            ack = await js.publish("embedded.test.hello", b"hello jetstream")
            assert ack.stream == "EMBEDDED_TEST"
            sub = await js.pull_subscribe("embedded.test.>", durable="reader")
            [msg] = await sub.fetch(1, timeout=5)
            assert msg.data == b"hello jetstream"
            await msg.ack()
        finally:
            await nc.close()
        pid = server.pid
        assert pid is not None
    finally:
        server.stop()
    assert not _pid_alive(pid)
    assert not server.is_running
    # JetStream data survives a restart (that is what keeps `make run` data).
    server = EmbeddedNats(tmp_path / "nats")
    url = server.start()
    try:
        nc = await nats.connect(url, connect_timeout=5)
        try:
            info = await nc.jetstream().stream_info("EMBEDDED_TEST")
            assert info.state.messages == 1
        finally:
            await nc.close()
    finally:
        server.stop()


def test_embedded_nats_failure_quotes_its_log(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        server = EmbeddedNats(tmp_path / "nats", port=port)
        with pytest.raises(EmbeddedError, match="address already in use"):
            server.start(timeout=10)
    server.stop()


# ------------------------------------------------------------------------------------ Postgres


def test_embedded_postgres_select_restart_keeps_data(scratch: Path) -> None:
    pg = EmbeddedPostgres(scratch / "pg")
    url = pg.start()
    try:
        assert "/igny8?" in url
        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
            assert conn.execute("select current_database()").fetchone() == ("igny8",)
            # enough for every service's pool at once
            assert conn.execute("show max_connections").fetchone() == (str(MAX_CONNECTIONS),)
            conn.execute("create table kept (v text)")
            conn.execute("insert into kept values ('survives restarts')")
        pid = pg.pid
        assert pid is not None
    finally:
        pg.stop()
    assert not _pid_alive(pid)
    assert _processes_mentioning(str(scratch / "pg")) == []

    again = EmbeddedPostgres(scratch / "pg")
    url = again.start()
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute("select v from kept").fetchall() == [("survives restarts",)]
        fresh = create_database(url, "fresh_one")
        assert "/fresh_one?" in fresh
        with psycopg.connect(fresh) as conn:
            assert conn.execute("select to_regclass('public.kept')").fetchone() == (None,)
        drop_database(url, "fresh_one")
    finally:
        again.stop()


# ------------------------------------------------------------------------------------ plugin


async def test_plugin_nats_url_fixture(nats_url: str) -> None:
    nc = await nats.connect(nats_url, connect_timeout=5)
    try:
        assert nc.is_connected
        info = await nc.jetstream().account_info()
        assert info is not None
    finally:
        await nc.close()


def test_plugin_database_url_is_a_fresh_database(database_url: str, pg_server_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        name = conn.execute("select current_database()").fetchone()
        assert name is not None
        assert name[0].startswith("igny8_test_")
        tables = conn.execute(
            "select count(*) from information_schema.tables where table_schema = 'public'"
        ).fetchone()
        assert tables == (0,)
    assert database_url != pg_server_url


def test_service_process_ready_crash_and_restart(
    service_process: StartService, fake_service_path: str, nats_url: str, database_url: str
) -> None:
    svc = service_process("fakesvc", {"PYTHONPATH": fake_service_path})
    assert svc.port not in (8000, 8001, 8002, 8003, 8004)
    with urllib.request.urlopen(svc.url("/readyz"), timeout=5) as resp:
        assert resp.status == 200
    assert f"nats={nats_url}" in svc.log_tail()
    assert f"db={database_url}" in svc.log_tail()
    port = svc.port
    assert svc.kill() == -signal.SIGKILL
    assert not svc.is_running
    svc.start().wait_ready(30)
    assert svc.port == port
    assert svc.terminate() == 0
    assert "fake stopped cleanly" in svc.log_tail()


def test_service_process_failure_quotes_the_log(fake_service_path: str, tmp_path: Path) -> None:
    env = {"PYTHONPATH": fake_service_path, "FAKE_FAIL": "1"}
    svc = ServiceProcess("fakesvc", env, log_dir=tmp_path)
    with pytest.raises(ServiceProcessError, match="boom: fake service cannot start"):
        svc.wait_ready(30)
    assert svc.returncode == 2


def test_run_service_command_quotes_the_output(fake_service_path: str) -> None:
    env = {"PYTHONPATH": fake_service_path}
    assert "fake migrate ran" in run_service_command("fakesvc", "migrate", env)
    with pytest.raises(ServiceProcessError, match=r"exit code 4(.|\n)*fake migrate ran"):
        run_service_command("fakesvc", "migrate", {**env, "FAKE_MIGRATE_EXIT": "4"})


# ------------------------------------------------------------------------------------ devrun


def test_devrun_infrastructure_only_stops_cleanly_on_ctrl_c(scratch: Path) -> None:
    data = scratch / "data"
    ports = []
    for _ in range(2):  # the second run reuses the data folder (and the NATS port)
        run = DevrunProcess(data, ["--services", ""])
        try:
            run.wait_for(devrun.READY_MESSAGE)
            nats_pid = _read_pid(data / "nats" / "nats-server.pid")
            pg_pid = _read_pid(data / "postgres" / "postmaster.pid")
            assert _pid_alive(nats_pid)
            assert _pid_alive(pg_pid)
            ports.append(int((data / "nats" / "port").read_text()))
            run.proc.send_signal(signal.SIGINT)
            assert run.wait_exit() == 0, run.output
        finally:
            run.kill()
        assert "stopped" in run.lines[-1]
        assert not _pid_alive(nats_pid)
        assert not _pid_alive(pg_pid)
        assert _processes_mentioning(str(data)) == []
    assert ports[0] == ports[1]
    assert 4222 not in ports


def test_devrun_runs_services_and_stops_them_on_sigterm(scratch: Path, fake_service_path: str) -> None:
    data = scratch / "data"
    default_port = free_port()
    with socket.socket() as blocker:  # the default port is taken: devrun must pick another
        blocker.bind(("127.0.0.1", default_port))
        blocker.listen()
        run = DevrunProcess(
            data,
            ["--services", "fakesvc"],
            fake_service_port=default_port,
            extra_env={"PYTHONPATH": fake_service_path},
        )
        try:
            run.wait_for(devrun.READY_MESSAGE)
            run.wait_for("Press Ctrl-C")
            output = run.output
            assert "[fakesvc:migrate] fake migrate ran" in output
            assert f"port {default_port} (last used or default for fakesvc) is in use" in output
            serving = next(line for line in run.lines if "fake serving" in line)
            svc_pid = int(serving.split("pid=")[1].split()[0])
            svc_port = int(serving.split("port=")[1].split()[0])
            assert svc_port != default_port
            assert "nats=nats://127.0.0.1:" in serving
            assert f"host={data / 'postgres'}" in serving
            assert f"jwt={data / 'jwt'}" in serving
            with urllib.request.urlopen(f"http://127.0.0.1:{svc_port}/readyz", timeout=5) as r:
                assert r.status == 200
            run.proc.send_signal(signal.SIGTERM)
            assert run.wait_exit() == 0, run.output
        finally:
            run.kill()
    assert "[fakesvc] fake stopped cleanly" in run.output
    assert not _pid_alive(svc_pid)
    assert _processes_mentioning(str(data)) == []


def test_devrun_recovers_from_a_killed_previous_run(scratch: Path, fake_service_path: str) -> None:
    data = scratch / "data"
    default_port = free_port()
    env = {"PYTHONPATH": fake_service_path}
    first = DevrunProcess(data, ["--services", "fakesvc"], fake_service_port=default_port, extra_env=env)
    try:
        first.wait_for(devrun.READY_MESSAGE)
    finally:
        first.kill()  # kill -9: the children (own sessions) survive as orphans
    nats_pid = _read_pid(data / "nats" / "nats-server.pid")
    svc_pid = _read_pid(data / "run" / "fakesvc.pid")
    nats_port = int((data / "nats" / "port").read_text())
    assert _pid_alive(nats_pid)
    assert _pid_alive(svc_pid)

    second = DevrunProcess(data, ["--services", "fakesvc"], fake_service_port=default_port, extra_env=env)
    try:
        second.wait_for(devrun.READY_MESSAGE)
        second.wait_for("Press Ctrl-C")
        assert not _pid_alive(nats_pid)
        assert not _pid_alive(svc_pid)
        assert f"nats://127.0.0.1:{nats_port}" in second.output  # same port as before
        assert "is in use" not in second.output  # the orphan's port was freed, not avoided
        second.proc.send_signal(signal.SIGINT)
        assert second.wait_exit() == 0, second.output
    finally:
        second.kill()
    assert _processes_mentioning(str(data)) == []
    assert not (data / "postgres" / "postmaster.pid").exists()


def test_devrun_stops_everything_when_a_service_dies(scratch: Path, fake_service_path: str) -> None:
    data = scratch / "data"
    run = DevrunProcess(
        data,
        ["--services", "fakesvc"],
        fake_service_port=free_port(),
        extra_env={"PYTHONPATH": fake_service_path, "FAKE_DIE_AFTER": "1.5"},
    )
    try:
        assert run.wait_exit() == 1
    finally:
        run.kill()
    assert "fakesvc exited unexpectedly with exit code 3" in run.output
    assert _processes_mentioning(str(data)) == []


def test_devrun_fails_loudly_when_a_migration_fails(scratch: Path, fake_service_path: str) -> None:
    data = scratch / "data"
    run = DevrunProcess(
        data,
        ["--services", "fakesvc"],
        fake_service_port=free_port(),
        extra_env={"PYTHONPATH": fake_service_path, "FAKE_MIGRATE_EXIT": "4"},
    )
    try:
        assert run.wait_exit() == 1
    finally:
        run.kill()
    assert "migrating fakesvc failed (exit code 4)" in run.output
    assert "fake serving" not in run.output
    assert _processes_mentioning(str(data)) == []


def test_devrun_rejects_unknown_services() -> None:
    with pytest.raises(ValueError, match="unknown service"):
        devrun.parse_services("gateway,nope")
    assert devrun.parse_services("") == []
    assert [s.name for s in devrun.parse_services(None)] == [s.name for s in devrun.SERVICES]
    assert [s.name for s in devrun.parse_services("writer,gateway")] == ["gateway", "writer"]


def test_devrun_never_prints_passwords() -> None:
    assert devrun._redact("postgresql://u:secret@db:5432/igny8") == "postgresql://u:***@db:5432/igny8"
    assert devrun._redact("nats://127.0.0.1:4222") == "nats://127.0.0.1:4222"


def test_services_constant_matches_the_documented_ports() -> None:
    assert {s.name: s.default_port for s in devrun.SERVICES} == {
        "gateway": 8000,
        "planner": 8001,
        "writer": 8002,
        "billing": 8003,
        "publisher": 8004,
        "automation": 8005,
    }
    assert [s.name for s in devrun.SERVICES] == [
        "gateway",
        "billing",
        "planner",
        "writer",
        "publisher",
        "automation",
    ]


def test_devrun_remembers_each_services_port_and_takes_the_one_a_person_sets(
    scratch: Path,
) -> None:
    gateway = devrun.SERVICES[0]
    host = devrun._listen_host()

    def chosen(**ports: int) -> dict[str, int]:
        settings = DevSettings(**ports)  # type: ignore[arg-type]
        with open(os.devnull, "w") as quiet:
            return devrun.DevRun(scratch, [gateway], out=quiet, settings=settings).choose_ports()

    squatter = socket.socket()
    with contextlib.suppress(OSError):  # (or somebody else holds it: taken either way)
        squatter.bind((host, gateway.default_port))
        squatter.listen()
    try:
        first = chosen()["gateway"]  # the default is taken: another port...
        assert first != gateway.default_port
        assert chosen()["gateway"] == first  # ...which the next run keeps
    finally:
        squatter.close()
    assert json.loads((scratch / "ports.json").read_text())["gateway"] == first
    assert chosen()["gateway"] == first  # even once the default is free again
    mine = free_port()
    assert chosen(gateway_port=mine)["gateway"] == mine  # a person's choice wins
    with socket.socket() as busy:
        busy.bind((host, mine))
        busy.listen()
        with pytest.raises(devrun.DevRunError, match="IGNY8_GATEWAY_PORT"):
            chosen(gateway_port=mine)
