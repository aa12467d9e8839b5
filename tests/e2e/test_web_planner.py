"""The Planner pages in a real Chromium against the real gateway, billing and planner
(web/e2e/planner.mjs): a Semrush export with bad rows imported (dry run report read line by
line, then for real), keywords listed and edited in place (the API's field error shown),
clustering run, ideas generated with their cost shown first and one queued to the writer; a
viewer sees every planner page with no write control. axe-core on every page; screenshots under
build/test-artifacts/web/planner-*.png."""

from __future__ import annotations

import pytest

from igny8_devtools.testing import ServiceProcess
from tests.e2e.browser import run_browser_script

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("planner")]


def test_planner_pages_in_chromium(gateway: ServiceProcess, billing: ServiceProcess) -> None:
    shots = run_browser_script("planner", gateway, timeout=600)
    for page in ("keywords-empty", "import-dry-run", "import-report", "keywords", "clusters",
                 "ideas-estimate", "ideas-queued", "viewer-keywords", "viewer-clusters",
                 "viewer-ideas"):
        assert any(shot.endswith(f"-{page}.png") for shot in shots), (page, shots)
