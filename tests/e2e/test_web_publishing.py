"""Publishing in the web app (web/e2e/publishing.mjs) in a real Chromium, against the real
gateway, billing, writer (offline AI) and publisher, and a real WordPress running the IGNY8
bridge plugin: connect WordPress and see its four checks, publish an approved article, the
post is live, the operations tray shows the publish operation, and a status change made in
WordPress reaches the records table without a reload."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from igny8_devtools.testing import ServiceProcess
from igny8_publisher.plugin_package import PLUGIN_DIR
from tests.e2e.browser import run_browser_script
from tests.wordpress.wordpress import LocalWordPress, php_string

# Four services, a WordPress and a browser on a shared machine: more than the default 300 s.
# (No planner: Home's planner counts then show a dash with their error, the writer's still show.)
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900),
              pytest.mark.usefixtures("billing", "writer", "publisher")]


def test_publishing_in_chromium(gateway: ServiceProcess, fresh_wordpress: LocalWordPress,
                                tmp_path: Path) -> None:
    wp = fresh_wordpress
    wp.activate_plugin(PLUGIN_DIR)
    key_file = tmp_path / "connection-key"
    outcome: dict[str, object] = {}

    def browse() -> None:
        try:
            outcome["shots"] = run_browser_script(
                "publishing", gateway, timeout=600, WP_URL=wp.base_url, WP_USER=wp.admin_user,
                WP_PASSWORD=wp.admin_password, WP_APP_PASSWORD=wp.app_password,
                KEY_FILE=str(key_file))
        except BaseException as exc:  # re-raised below, in the test's own thread
            outcome["error"] = exc

    browser = threading.Thread(target=browse)
    browser.start()
    # The key the person copies from the app goes into the plugin's settings, as its page would.
    while browser.is_alive() and not key_file.exists():
        time.sleep(0.2)
    if key_file.exists():
        key = key_file.read_text().strip()
        wp.php(f"$r = Igny8_Connection::save_key({php_string(key)});"
               " if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message()); exit(1); }")
        Path(f"{key_file}.saved").touch()
    browser.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    shots = outcome["shots"]
    assert isinstance(shots, list) and len(shots) >= 10, shots
    assert wp.php_json("count(Igny8_Delivery_Queue::pending())") == 0
