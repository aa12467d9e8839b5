"""Configuration is documented once, in README.md's "Configuration" table, and matches the code.

Every setting is found in the code: the fields of every pydantic-settings class in the igny8_*
packages under libs/ and services/ (named by their env_prefix or validation alias, as
pydantic-settings reads them), plus any environment variable read directly (os.environ /
os.getenv with a literal name). Each must have a row, each row must name a setting, and a row's
default must show the code's default (for plain values: numbers, booleans, non-empty strings and
paths)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from collections import defaultdict
from pathlib import Path

from pydantic import AliasChoices
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SECTION = "## Configuration"
VARIABLE = re.compile(r"`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`")  # an environment variable (always has an underscore)
# Fields that pydantic-settings would read from the environment but that are not settings.
NOT_SETTINGS = {
    # Which service a process is: every caller passes it (ServiceSettings(service_name=...),
    # GatewaySettings' own default), and a value passed in wins over the environment.
    "IGNY8_SERVICE_NAME",
}


def package_dirs() -> list[Path]:
    return sorted(p for p in (ROOT / "libs").glob("*/src/igny8_*") if p.is_dir()) + sorted(
        p for p in (ROOT / "services").glob("*/src/igny8_*") if p.is_dir())


def import_every_module() -> None:
    """So that every settings class exists (not __main__, which runs the CLI, nor Alembic's
    migration scripts, which only run inside Alembic)."""
    for directory in package_dirs():
        package = importlib.import_module(directory.name)
        for info in pkgutil.walk_packages(package.__path__, directory.name + "."):
            if not info.name.endswith(".__main__") and ".migrations." not in info.name + ".":
                importlib.import_module(info.name)


def settings_classes() -> list[type[BaseSettings]]:
    found: list[type[BaseSettings]] = []
    pending = list(BaseSettings.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("igny8_") and cls not in found:
            found.append(cls)
    return found


def env_names(cls: type[BaseSettings], name: str, field: FieldInfo) -> list[str]:
    alias = field.validation_alias or field.alias
    if isinstance(alias, str):
        return [alias.upper()]
    if isinstance(alias, AliasChoices):
        return [choice.upper() for choice in alias.choices if isinstance(choice, str)]
    return [(cls.model_config.get("env_prefix", "") + name).upper()]


def shown_default(value: object) -> str | None:
    """How the table shows a plain default (None: not a plain value, the row says it in words)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str | Path) and str(value):
        return str(value)
    return None


def settings_in_code() -> dict[str, dict[str, str | None]]:
    """variable → {where it is read: its default as the table shows it}."""
    import_every_module()
    found: dict[str, dict[str, str | None]] = defaultdict(dict)
    for cls in settings_classes():
        declared = inspect.get_annotations(cls)  # not the fields it inherits
        for name, field in cls.model_fields.items():
            if name not in declared:
                continue
            default = shown_default(field.get_default(call_default_factory=True))
            for variable in set(env_names(cls, name, field)) - NOT_SETTINGS:
                found[variable][f"{cls.__module__}.{cls.__qualname__}.{name}"] = default
    for variable, where in direct_environment_reads():
        found[variable][where] = None
    return found


def direct_environment_reads() -> list[tuple[str, str]]:
    """``os.environ.get("X")``, ``os.environ["X"]``, ``os.getenv("X")`` in the packages' sources."""
    reads = []
    for directory in package_dirs():
        for path in sorted(directory.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                key: ast.expr | None = None
                if isinstance(node, ast.Call) and node.args and ast.unparse(node.func) in (
                        "os.environ.get", "os.getenv", "environ.get", "getenv"):
                    key = node.args[0]
                elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in ("os.environ", "environ"):
                    key = node.slice
                if key is not None and isinstance(key, ast.Constant) and isinstance(key.value, str):
                    reads.append((key.value, f"{path.relative_to(ROOT)}:{key.lineno}"))
    return reads


def table_rows(text: str) -> dict[str, str]:
    """variable → its row's default cell, from the table under README's "## Configuration"."""
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if not line.startswith("|") or len(cells) != 3 or set(cells[0]) <= set("-: "):
            continue
        for variable in VARIABLE.findall(cells[0]):
            assert variable not in rows, f"README.md's configuration table has two rows for {variable}"
            rows[variable] = cells[2]
    return rows


def test_every_setting_has_a_row_and_every_row_a_setting() -> None:
    code = settings_in_code()
    rows = table_rows(README.read_text())
    assert rows.keys() >= {"DATABASE_URL", "NATS_URL"}, "the table parser found no table"
    problems = [
        f"{variable} is read by {', '.join(sorted(code[variable]))} but has no row in README.md's "
        "configuration table" for variable in sorted(code.keys() - rows.keys())
    ] + [
        f"{variable} has a row in README.md's configuration table but no setting in the code "
        "(no pydantic-settings field or os.environ read in libs/ or services/)"
        for variable in sorted(rows.keys() - code.keys())
    ]
    assert not problems, "\n".join(problems)


def test_every_row_shows_the_default_of_the_code() -> None:
    code = settings_in_code()
    rows = table_rows(README.read_text())
    problems = [
        f"{variable}: {where} defaults to `{default}`, README.md's row says: {rows[variable]}"
        for variable in sorted(code.keys() & rows.keys())
        for where, default in sorted(code[variable].items())
        if default is not None and f"`{default}`" not in rows[variable]
    ]
    assert not problems, "\n".join(problems)


def test_the_table_is_not_copied_elsewhere() -> None:
    documents = [ROOT / "docs" / p for p in sorted(p.name for p in (ROOT / "docs").glob("*.md"))]
    documents += sorted((ROOT / "libs").glob("*/README.md")) + sorted((ROOT / "services").glob("*/README.md"))
    copies = [
        f"{document.relative_to(ROOT)}:{number}: {line.strip()}"
        for document in documents
        for number, line in enumerate(document.read_text().splitlines(), 1)
        if line.startswith("|") and VARIABLE.search(line.split("|")[1])
    ]
    assert not copies, "configuration is documented once, in README.md; rows found in:\n" + "\n".join(copies)
