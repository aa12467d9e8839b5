"""Frozen JSON Schemas of every contract version, committed under libs/contracts/schemas/.

``python -m igny8_contracts.snapshots --write`` adds snapshots for new versions and refuses to
touch an existing one: changing a published contract means adding a new version.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from igny8_contracts.envelope import Envelope
from igny8_contracts.registry import all_messages

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
ENVELOPE_SNAPSHOT = "envelope.v1"


def current_schemas() -> dict[str, dict[str, Any]]:
    schemas = {m.subject(): m.model_json_schema() for m in all_messages()}
    for m in all_messages():
        reply = getattr(m, "reply", None)
        if reply is not None:
            schemas[f"{m.subject()}.reply"] = reply.model_json_schema()
    schemas[ENVELOPE_SNAPSHOT] = Envelope.model_json_schema()
    return schemas


def snapshot_path(name: str) -> Path:
    return SCHEMA_DIR / f"{name}.json"


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def changed_without_new_version() -> list[str]:
    """Names whose committed snapshot differs from the code (or is missing)."""
    problems = []
    for name, schema in current_schemas().items():
        path = snapshot_path(name)
        if not path.exists():
            problems.append(f"{name}: no snapshot (run `make snapshots` and commit it)")
        elif path.read_text() != render(schema):
            problems.append(f"{name}: schema changed; publish a new version instead of editing")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write snapshots of new versions")
    args = parser.parse_args(argv)
    if args.write:
        SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
        for name, schema in current_schemas().items():
            path = snapshot_path(name)
            if not path.exists():
                path.write_text(render(schema))
                print(f"wrote {path.name}")
    problems = changed_without_new_version()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
