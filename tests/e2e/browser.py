"""Running a browser test of the web app: `web/e2e/<name>.mjs` in Debian's Chromium (driven by
playwright-core, no browser download) against a running gateway; its screenshots go to
build/test-artifacts/web/<name>-NN-<page>.png."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from igny8_devtools.testing import ServiceProcess

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
ARTIFACTS = ROOT / "build" / "test-artifacts" / "web"
CHROMIUM = os.environ.get("IGNY8_CHROMIUM", "/usr/bin/chromium")


def _build_web() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_web", ROOT / "scripts" / "build_web.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def missing(what: str) -> None:
    """In CI a missing piece fails (.ci/run installs Chromium; make test builds the app);
    elsewhere (a bare `pytest` run) it skips, saying how to get it."""
    if os.environ.get("CI"):
        pytest.fail(what)
    pytest.skip(what)


def run_browser_script(name: str, gateway: ServiceProcess, timeout: float = 300,
                       **env_extra: str) -> list[str]:
    """Run web/e2e/<name>.mjs against `gateway`; fail with its output and the gateway's log if
    it fails. Returns the names of the screenshots it saved."""
    if not Path(CHROMIUM).is_file():
        missing(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    if not (WEB / "dist" / "index.html").is_file() or not (WEB / "node_modules" / "playwright-core").is_dir():
        missing("web app not built: .venv/bin/python scripts/build_web.py")
    node, _npm, env = _build_web().find_node()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    env.update(BASE_URL=gateway.base_url, ARTIFACTS=str(ARTIFACTS), CHROMIUM=CHROMIUM, **env_extra)
    proc = subprocess.run([*node, f"e2e/{name}.mjs"], cwd=WEB, env=env, capture_output=True,
                          text=True, timeout=timeout)
    output = proc.stdout + proc.stderr
    print(output)
    assert proc.returncode == 0, (
        f"browser test {name} failed:\n{output}\n--- gateway log ---\n{gateway.log_tail()}")
    return sorted(p.name for p in ARTIFACTS.glob(f"{name}-*.png") if not p.name.endswith("-failure.png"))
