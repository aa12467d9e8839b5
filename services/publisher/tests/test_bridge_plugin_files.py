"""The bridge plugin's PHP files: each passes ``php -l``; the zip holds the whole plugin."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from igny8_publisher.plugin_package import PLUGIN_DIR, build_zip, plugin_files

PHP_FILES = sorted(PLUGIN_DIR.rglob("*.php"))


def test_the_plugin_has_its_parts() -> None:
    names = {p.relative_to(PLUGIN_DIR).as_posix() for p in PHP_FILES}
    assert {"igny8-bridge.php", "uninstall.php", "admin/class-igny8-settings-page.php",
            "includes/class-igny8-status-webhooks.php",
            "includes/class-igny8-delivery-queue.php"} <= names
    header = (PLUGIN_DIR / "igny8-bridge.php").read_text()
    assert "Plugin Name:       IGNY8 Bridge" in header


@pytest.mark.skipif(shutil.which("php") is None, reason="php-cli is not installed")
@pytest.mark.parametrize("path", PHP_FILES, ids=lambda p: p.relative_to(PLUGIN_DIR).as_posix())
def test_php_lint_passes(path: Path) -> None:
    result = subprocess.run(["php", "-l", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax errors detected" in result.stdout


def test_every_php_file_refuses_to_run_outside_wordpress() -> None:
    for path in PHP_FILES:
        text = path.read_text()
        assert "defined( 'ABSPATH' )" in text or "defined( 'WP_UNINSTALL_PLUGIN' )" in text, path


def test_the_zip_contains_the_plugin_under_its_folder(tmp_path: Path) -> None:
    archive = build_zip(tmp_path / "dist" / "igny8-bridge.zip")
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        expected = {f"igny8-bridge/{p.relative_to(PLUGIN_DIR).as_posix()}"
                    for p in plugin_files()}
        assert names == expected
        assert "igny8-bridge/igny8-bridge.php" in names
        assert zipped.read("igny8-bridge/igny8-bridge.php") == \
            (PLUGIN_DIR / "igny8-bridge.php").read_bytes()
        assert zipped.testzip() is None
