"""Publishing in the web app (web/e2e/publishing.mjs) in a real Chromium, against the real
gateway, billing, writer (offline AI) and publisher, and a real WordPress running the IGNY8
bridge plugin: connect WordPress and see its four checks, publish an approved article, the
post is live, the operations tray shows the publish operation, and a status change made in
WordPress reaches the records table without a reload."""

from __future__ import annotations

import pytest

from igny8_devtools.testing import ServiceProcess
from igny8_publisher.plugin_package import PLUGIN_DIR
from tests.e2e.browser import run_browser_script
from tests.wordpress.wordpress import LocalWordPress

# Four services, a WordPress and a browser on a shared machine: more than the default 300 s.
# (No planner: Home's planner counts then show "–" with their error, the writer's still show.)
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900),
              pytest.mark.usefixtures("billing", "writer", "publisher")]


def test_publishing_in_chromium(gateway: ServiceProcess, fresh_wordpress: LocalWordPress) -> None:
    wp = fresh_wordpress
    wp.activate_plugin(PLUGIN_DIR)
    shots = run_browser_script(
        "publishing", gateway, timeout=600, WP_URL=wp.base_url, WP_USER=wp.admin_user,
        WP_PASSWORD=wp.admin_password, WP_APP_PASSWORD=wp.app_password)
    assert len(shots) >= 10, shots
    assert wp.php_json("count(Igny8_Delivery_Queue::pending())") == 0
