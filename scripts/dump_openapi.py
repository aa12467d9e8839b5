"""Write the gateway's OpenAPI document to web/openapi.json (the web app's typed client is
generated from it), from the FastAPI app object as served: no service needs to run.

    .venv/bin/python scripts/dump_openapi.py           # write (``make openapi``)
    .venv/bin/python scripts/dump_openapi.py --check   # exit 1 when the snapshot is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).resolve().parent.parent / "web" / "openapi.json"


def current_document() -> dict[str, Any]:
    from igny8_gateway.app import load
    from igny8_gateway.web_app import build_app

    document: dict[str, Any] = build_app(load()).openapi()
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail when the snapshot is stale")
    args = parser.parse_args(argv)
    text = render(current_document())
    if args.check:
        if not SNAPSHOT.is_file() or SNAPSHOT.read_text() != text:
            print(f"{SNAPSHOT} is stale: run `make openapi` and commit it "
                  "(then `tsc` tells which parts of web/ the API change breaks)", file=sys.stderr)
            return 1
        print(f"{SNAPSHOT} is current")
        return 0
    SNAPSHOT.write_text(text)
    print(f"wrote {SNAPSHOT} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
