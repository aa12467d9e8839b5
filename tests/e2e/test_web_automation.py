"""The automation page in a real Chromium against the real gateway, billing, planner, writer and
automation (web/e2e/automation.mjs): field errors from the API, saved settings with the next
scheduled run, "run now" and the run history, axe-core on every page."""

from __future__ import annotations

import pytest

from igny8_devtools.testing import ServiceProcess
from tests.e2e.browser import run_browser_script

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("billing", "planner", "writer", "automation")]


def test_automation_page_in_chromium(gateway: ServiceProcess) -> None:
    shots = run_browser_script("automation", gateway)
    assert len(shots) >= 3, shots
