"""The zip ``make plugin-zip`` builds installs through WordPress's own plugin installer (the
code behind Plugins → Add New → Upload Plugin), activates, and answers its REST route."""

from __future__ import annotations

from pathlib import Path

import httpx

from igny8_publisher.plugin_package import build_zip
from tests.wordpress.wordpress import LocalWordPress, php_string

INSTALL = """
require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/misc.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';
WP_Filesystem();
$upgrader = new Plugin_Upgrader(new Automatic_Upgrader_Skin());
$result = $upgrader->install({zip});
if (true !== $result) {{
    $why = is_wp_error($result) ? $result->get_error_message()
        : var_export($upgrader->skin->get_upgrade_messages(), true);
    fwrite(STDERR, $why);
    exit(1);
}}
$activated = activate_plugin($upgrader->plugin_info());
if (is_wp_error($activated)) {{ fwrite(STDERR, $activated->get_error_message()); exit(1); }}
echo $upgrader->plugin_info();
"""


def test_the_zip_installs_and_activates_through_wordpress(
    fresh_wordpress: LocalWordPress, tmp_path: Path
) -> None:
    wp = fresh_wordpress
    archive = build_zip(tmp_path / "igny8-bridge.zip")
    plugin_file = wp.php(INSTALL.format(zip=php_string(str(archive)))).strip()
    assert plugin_file == "igny8-bridge/igny8-bridge.php"
    assert (wp.content_dir / "plugins" / "igny8-bridge" / "igny8-bridge.php").exists()
    assert plugin_file in wp.php_json("get_option('active_plugins')")
    assert wp.php_json("get_option('igny8_bridge_db_version')") == "1"
    with wp.rest() as client:
        answer = client.get("/igny8/v1/site-metadata")
    assert answer.status_code == 200, answer.text
    assert answer.json()["plugin_version"] == "1.0.0"
    assert httpx.get(f"{wp.rest_url}/igny8/v1/site-metadata").status_code == 401
