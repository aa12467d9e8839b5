"""Run a service as a real subprocess (``python -m igny8_<name> serve``) in tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Protocol

from igny8_devtools.embedded import LOCALHOST, free_port

__all__ = ["ServiceProcess", "ServiceProcessError", "StartService", "run_service_command"]


class ServiceProcessError(RuntimeError):
    """A service process failed to start / become ready (the message includes its log tail)."""


class ServiceProcess:
    """``python -m igny8_<name> serve`` on 127.0.0.1 and a free HTTP port.

    ``env`` is merged over ``os.environ`` (pass ``DATABASE_URL``, ``NATS_URL``, …). Output
    (stdout + stderr) goes to ``log_path``; errors quote its tail. The port stays the same
    across ``kill()`` / ``terminate()`` and ``start()`` again, so ``base_url`` stays valid
    in crash-and-restart tests.
    """

    def __init__(
        self,
        name: str,
        env: Mapping[str, str] | None = None,
        *,
        port: int | None = None,
        log_dir: Path | None = None,
        module: str | None = None,
        args: Sequence[str] = ("serve",),
        start: bool = True,
    ) -> None:
        self.name = name
        self.module = module or f"igny8_{name}"
        self.args = list(args)
        self.env: dict[str, str] = dict(env or {})
        if port is None and self.env.get("IGNY8_HTTP_PORT"):
            port = int(self.env["IGNY8_HTTP_PORT"])
        self.port = port if port is not None else free_port()
        directory = log_dir if log_dir is not None else Path(tempfile.mkdtemp(prefix="igny8-"))
        directory.mkdir(parents=True, exist_ok=True)
        self.log_path = directory / f"{name}-{self.port}.log"
        self.starts = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        if start:
            self.start()

    # ------------------------------------------------------------------------------- info

    @property
    def base_url(self) -> str:
        return f"http://{LOCALHOST}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def returncode(self) -> int | None:
        return self._proc.poll() if self._proc is not None else None

    @property
    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, lines: int = 60) -> str:
        if self._log is not None:
            with contextlib.suppress(OSError, ValueError):
                self._log.flush()
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no output)"
        tail = text.splitlines()[-lines:]
        return "\n".join(tail) if tail else "(no output)"

    def _describe(self) -> str:
        return f"{self.name} (`python -m {self.module} {' '.join(self.args)}`, port {self.port})"

    def _error(self, message: str) -> ServiceProcessError:
        return ServiceProcessError(
            f"{self._describe()}: {message}\n--- last lines of {self.log_path} ---\n{self.log_tail()}"
        )

    # ------------------------------------------------------------------------------- control

    def start(self) -> ServiceProcess:
        """Start (again, on the same port). Does not wait: see ``wait_ready``."""
        if self.is_running:
            raise self._error("already running")
        self._close_log()
        self.starts += 1
        self._log = self.log_path.open("ab")
        self._log.write(f"===== start #{self.starts} of {self._describe()} =====\n".encode())
        self._log.flush()
        env = dict(os.environ)
        env.update(self.env)
        env["IGNY8_HTTP_HOST"] = LOCALHOST
        env["IGNY8_HTTP_PORT"] = str(self.port)
        env["PYTHONUNBUFFERED"] = "1"
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", self.module, *self.args],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
        except OSError as exc:
            raise self._error(f"could not start: {exc}") from exc
        return self

    def wait_ready(self, timeout: float = 60.0, path: str = "/readyz") -> ServiceProcess:
        """Poll ``GET /readyz`` until it answers 200; fail with the log tail otherwise."""
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while True:
            if self._proc is None:
                raise self._error("not started")
            code = self._proc.poll()
            if code is not None:
                raise self._error(f"exited with code {code} before it was ready")
            try:
                with urllib.request.urlopen(self.url(path), timeout=2.0) as resp:  # noqa: S310
                    if int(resp.status) == 200:
                        return self
                    last = f"HTTP {resp.status}"
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}: {exc.read()[:500].decode(errors='replace')}"
            except (urllib.error.URLError, OSError) as exc:
                last = f"{type(exc).__name__}: {exc}"
            if time.monotonic() >= deadline:
                raise self._error(f"{path} not ready after {timeout:.0f}s (last: {last})")
            time.sleep(0.1)

    def kill(self) -> int | None:
        """SIGKILL (a crash: no graceful shutdown) and reap. Returns the exit code."""
        if self._proc is None:
            return None
        if self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.send_signal(signal.SIGKILL)
        code = self._proc.wait()
        self._close_log()
        return code

    def terminate(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, wait up to ``timeout`` s, then SIGKILL. Returns the exit code."""
        if self._proc is None:
            return None
        if self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    self._proc.kill()
                self._proc.wait()
        self._close_log()
        return self._proc.returncode

    def restart(self, timeout: float = 60.0) -> ServiceProcess:
        """Terminate if running, start again on the same port, wait until ready."""
        self.terminate()
        return self.start().wait_ready(timeout)

    def _close_log(self) -> None:
        if self._log is not None:
            with contextlib.suppress(OSError):
                self._log.close()
            self._log = None

    def __enter__(self) -> ServiceProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.terminate()

    def __repr__(self) -> str:
        state = "running" if self.is_running else f"exited {self.returncode}"
        return f"<ServiceProcess {self.name} {self.base_url} pid={self.pid} {state}>"


def run_service_command(
    name: str,
    command: str,
    env: Mapping[str, str] | None = None,
    *,
    timeout: float = 300.0,
    module: str | None = None,
) -> str:
    """Run ``python -m igny8_<name> <command>`` (e.g. ``migrate``) to completion with ``env``
    merged over ``os.environ``; return its output, raise ``ServiceProcessError`` (quoting the
    output) if it fails."""
    module = module or f"igny8_{name}"
    merged = dict(os.environ)
    merged.update(env or {})
    merged["PYTHONUNBUFFERED"] = "1"
    argv = [sys.executable, "-m", module, command]
    try:
        done = subprocess.run(
            argv,
            env=merged,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        output = (exc.output or b"").decode(errors="replace")
        raise ServiceProcessError(
            f"`python -m {module} {command}` did not finish in {timeout:.0f}s; output:\n"
            + "\n".join(output.splitlines()[-60:])
        ) from exc
    output = done.stdout.decode(errors="replace")
    if done.returncode != 0:
        raise ServiceProcessError(
            f"`python -m {module} {command}` failed with exit code {done.returncode}; "
            "output:\n" + "\n".join(output.splitlines()[-60:])
        )
    return output


class StartService(Protocol):
    """What the ``service_process`` fixture yields."""

    def __call__(
        self,
        name: str,
        env: Mapping[str, str] | None = None,
        *,
        wait: bool = True,
        timeout: float = 60.0,
        port: int | None = None,
        module: str | None = None,
        migrate: bool = True,
    ) -> ServiceProcess: ...
