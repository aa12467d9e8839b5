"""The writer's pages in a real Chromium (web/e2e/writer.mjs) against the real gateway, billing
and writer with offline AI (no planner: the cluster choices stay empty): tasks made and
generated into articles and images through the UI (cost shown first, progress followed), an
article edited, its versions compared and one restored, review to approved, an image
regenerated; axe-core on every page, screenshots under build/test-artifacts/web/writer-*.png."""

from __future__ import annotations

import pytest

from igny8_devtools.testing import ServiceProcess
from tests.e2e.browser import run_browser_script

pytestmark = pytest.mark.e2e


# Five services start first, then two AI operations run: slow on a loaded machine.
@pytest.mark.timeout(1200)
def test_writer_pages_in_chromium(gateway: ServiceProcess, billing: ServiceProcess,
                                  writer: ServiceProcess) -> None:
    shots = run_browser_script("writer", gateway, timeout=600)
    for page in ("tasks", "generate-articles-dialog", "content-drafts", "editor", "editor-diff",
                 "editor-approved", "images", "images-regenerated"):
        assert any(shot.endswith(f"-{page}.png") for shot in shots), (page, shots)
