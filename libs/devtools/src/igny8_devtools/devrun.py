"""``make run``: the whole of IGNY8 on one machine.

    python -m igny8_devtools.devrun [--services gateway,planner] [--data-dir .data]

1. Starts NATS (JetStream) and PostgreSQL embedded under the data folder (``IGNY8_DATA_DIR``,
   default ``./.data``) unless ``NATS_URL`` / ``DATABASE_URL`` are set. Embedded NATS listens on
   127.0.0.1 on the port it used last time if that is free (else a free one); embedded
   PostgreSQL listens on a UNIX socket only — neither touches servers on 4222 / 5432.
2. Migrates every service (``python -m igny8_<name> migrate``), in ``SERVICES`` order.
3. Starts every service (``python -m igny8_<name> serve``), streams their output prefixed with
   their name, waits until each answers ``GET /readyz`` and prints how to use the system.
4. Ctrl-C / SIGTERM: stops the services (SIGTERM, then SIGKILL), then NATS and PostgreSQL;
   exits 0. The data folder is kept, so the next run continues where this one stopped.

``--services`` (or ``IGNY8_SERVICES``) picks a subset, comma-separated; an empty value runs just
the infrastructure until Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, TextIO
from urllib.parse import urlsplit, urlunsplit

from igny8_devtools.embedded import (
    LOCALHOST,
    EmbeddedError,
    EmbeddedNats,
    EmbeddedPostgres,
    free_port,
    kill_stale,
    port_is_free,
    stop_process,
)
from igny8_devtools.settings import DevSettings
from igny8_runtime.settings import ServiceSettings


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    default_port: int

    @property
    def module(self) -> str:
        return f"igny8_{self.name}"


#: Every service, in the order they are migrated and started (gateway first).
SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("gateway", 8000),
    ServiceSpec("billing", 8003),
    ServiceSpec("planner", 8001),
    ServiceSpec("writer", 8002),
    ServiceSpec("publisher", 8004),
    ServiceSpec("automation", 8005),
)

#: Printed (on its own line) once everything answers; tests wait for it.
READY_MESSAGE = "igny8 dev environment is ready"

READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
MIGRATE_TIMEOUT_SECONDS = 300.0

_COLORS = ("36", "33", "35", "32", "34", "31")


class DevRunError(RuntimeError):
    """A step failed; the message says which and why."""


class _StopRequestedError(Exception):
    """Ctrl-C / SIGTERM arrived while starting up."""


@dataclass
class _Child:
    """A subprocess whose output is streamed to our stdout, line by line, with a prefix."""

    label: str
    proc: subprocess.Popen[bytes]
    pump: threading.Thread
    port: int | None = None
    spec: ServiceSpec | None = None


@dataclass
class DevRun:
    data_dir: Path
    services: Sequence[ServiceSpec]
    ready_timeout: float = READY_TIMEOUT_SECONDS
    out: TextIO = field(default_factory=lambda: sys.stdout)
    settings: DevSettings = field(default_factory=DevSettings)

    nats: EmbeddedNats | None = None
    postgres: EmbeddedPostgres | None = None
    nats_url: str = ""
    database_url: str = ""
    children: list[_Child] = field(default_factory=list)
    stop_requested: threading.Event = field(default_factory=threading.Event)
    _signals: int = 0
    # Re-entrant: the signal handler prints from the main thread, maybe while it prints.
    _out_lock: threading.RLock = field(default_factory=threading.RLock)
    _lock_file: IO[str] | None = None

    # ---------------------------------------------------------------------------- output

    def say(self, message: str) -> None:
        with self._out_lock, contextlib.suppress(OSError, ValueError):
            self.out.write(f"[devrun] {message}\n")
            self.out.flush()

    def _color(self, text: str, index: int) -> str:
        if not _isatty(self.out) or self.settings.no_color:
            return text
        return f"\x1b[{_COLORS[index % len(_COLORS)]}m{text}\x1b[0m"

    def _pump(self, stream: IO[bytes], prefix: str) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode(errors="replace").rstrip("\r\n")
            with self._out_lock, contextlib.suppress(OSError, ValueError):
                self.out.write(f"{prefix} {line}\n")
                self.out.flush()
        stream.close()

    # ---------------------------------------------------------------------------- signals

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._signals += 1
        if self._signals == 1:
            self.say(f"{signal.Signals(signum).name} received: stopping (again to force)")
        else:
            self.say("stopping forcefully")
        self.stop_requested.set()

    def _check_stop(self) -> None:
        if self.stop_requested.is_set():
            raise _StopRequestedError

    # ---------------------------------------------------------------------------- steps

    def lock_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = (self.data_dir / ".devrun.lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            lock.close()
            raise DevRunError(
                f"another 'make run' is already using {self.data_dir} (set IGNY8_DATA_DIR to "
                "use a different data folder)"
            ) from exc
        lock.write(str(os.getpid()))
        lock.flush()
        self._lock_file = lock

    def start_nats(self) -> None:
        env_url = self.settings.nats_url
        if env_url:
            self.nats_url = env_url
            self.say(f"NATS: using NATS_URL={_redact(env_url)}")
            return
        nats_dir = self.data_dir / "nats"
        nats_dir.mkdir(parents=True, exist_ok=True)
        port_file = nats_dir / "port"
        # Stop a nats-server left behind by a killed run first, so its port counts as free.
        kill_stale(nats_dir / "nats-server.pid", str(nats_dir / "jetstream"))
        port: int | None = None
        with contextlib.suppress(OSError, ValueError):
            previous = int(port_file.read_text().strip())
            if port_is_free(previous):
                port = previous
            else:
                self.say(f"NATS: port {previous} (used last time) is taken; picking another")
        self.nats = EmbeddedNats(nats_dir, port=port)
        try:
            self.nats_url = self.nats.start()
        except EmbeddedError:
            if port is None:
                raise
            # The old port was grabbed between the check and the start: any free one will do.
            self.nats = EmbeddedNats(nats_dir)
            self.nats_url = self.nats.start()
        port_file.write_text(f"{self.nats.port}\n")
        self.say(f"NATS: embedded JetStream at {self.nats_url} (data in {nats_dir})")

    def start_postgres(self) -> None:
        env_url = self.settings.database_url
        if env_url:
            self.database_url = env_url
            self.say("PostgreSQL: using DATABASE_URL from the environment")
            return
        pg_dir = self.data_dir / "postgres"
        self.postgres = EmbeddedPostgres(pg_dir)
        self.database_url = self.postgres.start()
        self.say(f"PostgreSQL: embedded at {self.database_url} (data in {pg_dir})")

    def service_env(self, port: int | None = None) -> dict[str, str]:
        jwt_dir = self.data_dir / "jwt"
        jwt_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env["DATABASE_URL"] = self.database_url
        env["NATS_URL"] = self.nats_url
        env.setdefault("IGNY8_JWT_KEY_DIR", str(jwt_dir))
        # One key file for customer secrets, shared by every service (igny8_runtime.secrets).
        env.setdefault("IGNY8_SECRETS_KEY_FILE", str(self.data_dir / "secrets.key"))
        if _isatty(self.out):
            env.setdefault("IGNY8_LOG_JSON", "false")  # a human reads this terminal
        env["PYTHONUNBUFFERED"] = "1"
        if port is not None:
            env["IGNY8_HTTP_PORT"] = str(port)
        else:
            env.pop("IGNY8_HTTP_PORT", None)
        return env

    def _spawn(
        self, label: str, argv: list[str], env: dict[str, str], index: int
    ) -> tuple[subprocess.Popen[bytes], threading.Thread]:
        # Own session: Ctrl-C in the terminal reaches only us; we stop children in order.
        proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        assert proc.stdout is not None
        prefix = self._color(f"[{label}]", index)
        pump = threading.Thread(
            target=self._pump, args=(proc.stdout, prefix), name=f"pump-{label}", daemon=True
        )
        pump.start()
        return proc, pump

    def migrate(self) -> None:
        env = self.service_env()
        for index, spec in enumerate(self.services):
            self._check_stop()
            self.say(f"migrating {spec.name}…")
            proc, pump = self._spawn(
                f"{spec.name}:migrate",
                [sys.executable, "-m", spec.module, "migrate"],
                env,
                index,
            )
            deadline = time.monotonic() + MIGRATE_TIMEOUT_SECONDS
            while proc.poll() is None:
                if self.stop_requested.is_set():
                    stop_process(proc, STOP_TIMEOUT_SECONDS)
                    pump.join(2)
                    raise _StopRequestedError
                if time.monotonic() > deadline:
                    stop_process(proc, STOP_TIMEOUT_SECONDS)
                    pump.join(2)
                    raise DevRunError(
                        f"migrating {spec.name} took longer than {MIGRATE_TIMEOUT_SECONDS:.0f}s"
                    )
                self.stop_requested.wait(0.1)
            pump.join(5)
            if proc.returncode != 0:
                raise DevRunError(
                    f"migrating {spec.name} failed (exit code {proc.returncode}): "
                    f"`python -m {spec.module} migrate` — see its output above"
                )

    def _pid_file(self, spec: ServiceSpec) -> Path:
        return self.data_dir / "run" / f"{spec.name}.pid"

    def kill_stale_services(self) -> None:
        """Stop services a killed previous run left behind (they would hold the ports)."""
        for spec in self.services:
            kill_stale(self._pid_file(spec), f"{spec.module} serve", STOP_TIMEOUT_SECONDS)

    def choose_ports(self) -> dict[str, int]:
        """Each service's port: the one a person set (``IGNY8_<SERVICE>_PORT``), else the one
        it used last time (remembered in ``<data dir>/ports.json``, so addresses given out,
        such as the bridge plugin's webhook address, keep working after a restart), else
        its default, else a free one; remembered for the next run."""
        taken: set[int] = set()
        if self.nats is not None:
            taken.update(p for p in (self.nats.port, self.nats.monitor_port) if p is not None)
        remembered = self._remembered_ports()
        chosen = self.settings.service_ports()
        ports: dict[str, int] = {}
        host = _listen_host()
        for spec in self.services:
            wanted = chosen.get(spec.name)
            if wanted is not None:
                if wanted in taken or not port_is_free(wanted, host):
                    raise DevRunError(f"port {wanted} (IGNY8_{spec.name.upper()}_PORT) for "
                                      f"{spec.name} is in use")
                port = wanted
            else:
                port = remembered.get(spec.name, spec.default_port)
                if port in taken or not port_is_free(port, host):
                    port = free_port(host, exclude=taken | {s.default_port for s in SERVICES})
                    self.say(f"port {remembered.get(spec.name, spec.default_port)} (last used "
                             f"or default for {spec.name}) is in use: {spec.name} will listen "
                             f"on {port} instead")
            taken.add(port)
            ports[spec.name] = port
        self._remember_ports({**remembered, **ports})
        return ports

    @property
    def _ports_file(self) -> Path:
        return self.data_dir / "ports.json"

    def _remembered_ports(self) -> dict[str, int]:
        with contextlib.suppress(OSError, ValueError):
            stored = json.loads(self._ports_file.read_text())
            if isinstance(stored, dict):
                return {str(k): int(v) for k, v in stored.items() if isinstance(v, int)}
        return {}

    def _remember_ports(self, ports: dict[str, int]) -> None:
        with contextlib.suppress(OSError):
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._ports_file.write_text(json.dumps(ports, indent=1, sort_keys=True) + "\n")

    def start_services(self, ports: dict[str, int]) -> None:
        for index, spec in enumerate(self.services):
            self._check_stop()
            port = ports[spec.name]
            proc, pump = self._spawn(
                spec.name,
                [sys.executable, "-m", spec.module, "serve"],
                self.service_env(port),
                index,
            )
            self.children.append(_Child(spec.name, proc, pump, port, spec))
            pid_file = self._pid_file(spec)
            pid_file.parent.mkdir(parents=True, exist_ok=True)
            pid_file.write_text(f"{proc.pid}\n")
            self.say(f"started {spec.name} (pid {proc.pid}) on port {port}")

    def wait_ready(self) -> None:
        pending = {child.label: child for child in self.children}
        deadline = time.monotonic() + self.ready_timeout
        while pending:
            self._check_stop()
            self._check_children()
            for label, child in list(pending.items()):
                if _http_ok(f"{_base_url(child.port)}/readyz"):
                    self.say(f"{label} is ready")
                    del pending[label]
            if not pending:
                break
            if time.monotonic() > deadline:
                names = ", ".join(f"{c.label} ({_base_url(c.port)}/readyz)" for c in pending.values())
                raise DevRunError(
                    f"not ready after {self.ready_timeout:.0f}s: {names} — see the output above"
                )
            self.stop_requested.wait(0.2)

    def _check_children(self) -> None:
        for child in self.children:
            code = child.proc.poll()
            if code is not None:
                raise DevRunError(f"{child.label} exited unexpectedly with exit code {code}")
        if self.nats is not None and not self.nats.is_running:
            raise DevRunError(
                f"embedded NATS exited unexpectedly with exit code {self.nats.returncode} "
                f"(log: {self.nats.log_path})"
            )
        if self.postgres is not None and not self.postgres.is_running:
            raise DevRunError(f"embedded PostgreSQL stopped unexpectedly (log: {self.postgres.log_path})")

    def print_banner(self) -> None:
        lines = ["", "=" * 78, READY_MESSAGE]
        lines.append(f"  NATS:        {_redact(self.nats_url)}" + (" (embedded)" if self.nats else ""))
        lines.append(
            f"  PostgreSQL:  {_redact(self.database_url)}" + (" (embedded)" if self.postgres else "")
        )
        lines.append(f"  Data folder: {self.data_dir}")
        for child in self.children:
            lines.append(f"  {child.label + ':':<12} {_base_url(child.port)}")
        gateway = next((c for c in self.children if c.label == "gateway"), None)
        if gateway is not None:
            url = _base_url(gateway.port)
            register = {
                "email": "admin@example.com",
                "password": "Change-me-2-something",
                "account_name": "My Agency",
            }
            login = {"email": register["email"], "password": register["password"]}
            token_py = "import json,sys; print(json.load(sys.stdin)['data']['access'])"
            lines += [
                "",
                f"  Gateway:  {url}",
                f"  API docs: {url}/docs",
                "",
                "  Create a first account:",
                f"    curl -sS -X POST {url}/api/v1/auth/register/ "
                f"-H 'Content-Type: application/json' -d {shlex.quote(_json(register))}",
                "  Log in (prints the tokens):",
                f"    curl -sS -X POST {url}/api/v1/auth/login/ "
                f"-H 'Content-Type: application/json' -d {shlex.quote(_json(login))}",
                "  …or keep the access token in $TOKEN and ask who you are:",
                f"    TOKEN=$(curl -sS -X POST {url}/api/v1/auth/login/ "
                f"-H 'Content-Type: application/json' -d {shlex.quote(_json(login))} "
                f"| python3 -c {shlex.quote(token_py)})",
                f'    curl -sS {url}/api/v1/auth/me/ -H "Authorization: Bearer $TOKEN"',
            ]
        elif not self.children:
            lines.append("  (no services selected: only the infrastructure is running)")
        lines += ["", "Press Ctrl-C to stop (the data folder is kept).", "=" * 78, ""]
        with self._out_lock, contextlib.suppress(OSError, ValueError):
            self.out.write("\n".join(lines) + "\n")
            self.out.flush()

    def supervise(self) -> None:
        while not self.stop_requested.wait(0.5):
            self._check_children()

    # ---------------------------------------------------------------------------- shutdown

    def shutdown(self) -> None:
        """Services first (SIGTERM all, wait, SIGKILL stragglers), then NATS, then PostgreSQL."""
        running = [c for c in self.children if c.proc.poll() is None]
        if running:
            self.say("stopping " + ", ".join(c.label for c in running) + "…")
        for child in running:
            with contextlib.suppress(ProcessLookupError):
                child.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in running:
            while child.proc.poll() is None and time.monotonic() < deadline:
                if self._signals > 1:
                    break
                time.sleep(0.05)
            if child.proc.poll() is None:
                self.say(f"{child.label} did not stop in time: killing it")
                with contextlib.suppress(ProcessLookupError):
                    child.proc.kill()
                child.proc.wait()
        for child in self.children:
            child.pump.join(2)
            if child.spec is not None:
                self._pid_file(child.spec).unlink(missing_ok=True)
        if self.nats is not None:
            self.say("stopping NATS…")
            self.nats.stop(timeout=2.0 if self._signals > 1 else STOP_TIMEOUT_SECONDS)
            self.nats = None
        if self.postgres is not None:
            self.say("stopping PostgreSQL…")
            self.postgres.stop()
            self.postgres = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None
        self.say("stopped")

    def run(self) -> int:
        """The whole lifecycle; returns the process exit code."""
        self.install_signal_handlers()
        try:
            self.lock_data_dir()
            self._check_stop()
            self.start_nats()
            self._check_stop()
            self.start_postgres()
            self._check_stop()
            self.kill_stale_services()
            self.migrate()
            self.start_services(self.choose_ports())
            self.wait_ready()
            self.print_banner()
            self.supervise()
        except _StopRequestedError:
            pass
        except (DevRunError, EmbeddedError) as exc:
            if self.stop_requested.is_set():
                # e.g. Ctrl-C also hit pg_ctl / initdb (same terminal): not an error.
                self.shutdown()
                return 0
            self.say(f"ERROR: {exc}")
            self.shutdown()
            return 1
        except BaseException:
            self.shutdown()
            raise
        self.shutdown()
        return 0


# -------------------------------------------------------------------------------- helpers


def _json(obj: dict[str, str]) -> str:
    return json.dumps(obj)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _redact(url: str) -> str:
    """Hide a password in a URL before printing it."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _listen_host() -> str:
    host = ServiceSettings().http_host
    return LOCALHOST if host in ("", "0.0.0.0", "localhost") else host


def _base_url(port: int | None) -> str:
    return f"http://{_listen_host()}:{port}"


def _http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (local http)
            return int(resp.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def parse_services(value: str | None) -> list[ServiceSpec]:
    """``None`` → every service; ``""`` / ``"none"`` → none; else a comma-separated subset."""
    if value is None:
        return list(SERVICES)
    names = [n.strip() for n in value.split(",") if n.strip()]
    if names == ["none"]:
        return []
    known = {s.name: s for s in SERVICES}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown service(s) {', '.join(unknown)}; known: {', '.join(known)}")
    wanted = set(names)
    return [s for s in SERVICES if s.name in wanted]  # always in SERVICES order


def main(argv: Sequence[str] | None = None) -> int:
    settings = DevSettings()
    parser = argparse.ArgumentParser(
        prog="python -m igny8_devtools.devrun",
        description="Run NATS, PostgreSQL and every IGNY8 service locally (make run).",
    )
    parser.add_argument(
        "--services",
        default=settings.services,
        help="comma-separated services to run (default: all: "
        + ",".join(s.name for s in SERVICES)
        + "); empty or 'none' runs only NATS and PostgreSQL (env IGNY8_SERVICES)",
    )
    parser.add_argument(
        "--data-dir",
        default=settings.data_dir,
        help="data folder for embedded NATS / PostgreSQL and JWT keys (env IGNY8_DATA_DIR)",
    )
    parser.add_argument(
        "--ready-timeout",
        type=float,
        default=READY_TIMEOUT_SECONDS,
        help="seconds to wait for every service's /readyz",
    )
    args = parser.parse_args(argv)
    try:
        services = parse_services(args.services)
    except ValueError as exc:
        parser.error(str(exc))
    devrun = DevRun(
        data_dir=Path(args.data_dir).expanduser().resolve(),
        services=services,
        ready_timeout=args.ready_timeout,
        settings=settings,
    )
    return devrun.run()


if __name__ == "__main__":
    sys.exit(main())
