"""web/openapi.json, from which the web app's typed client is generated, is the gateway's
current OpenAPI document: an API change that is not re-dumped (``make openapi``) fails here,
and once re-dumped, ``tsc`` in ``make test`` shows which parts of the app it breaks."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def test_the_committed_snapshot_is_the_gateways_openapi() -> None:
    spec = importlib.util.spec_from_file_location("dump_openapi", ROOT / "scripts" / "dump_openapi.py")
    assert spec is not None
    assert spec.loader is not None
    dump = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dump)
    snapshot = ROOT / "web" / "openapi.json"
    assert snapshot.read_text() == dump.render(dump.current_document()), (
        "web/openapi.json is stale: run `make openapi`, then `make web-check`, and commit both")
