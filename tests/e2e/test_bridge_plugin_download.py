"""The bridge plugin's zip as the app offers it (Publishing → WordPress → Download the
plugin): ``GET /api/v1/integration/plugin/`` through the real gateway and publisher (which
stores the zip in JetStream's object store) answers the same files ``make plugin-zip`` packs,
under ``igny8-bridge/``; only signed-in users get it."""

from __future__ import annotations

import io
import zipfile

import pytest

from igny8_publisher.plugin_package import PLUGIN_DIR, plugin_files
from tests.e2e.conftest import Gateway

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("publisher")]

PLUGIN = "/api/v1/integration/plugin/"


def test_the_gateway_serves_the_plugin_zip(gw: Gateway) -> None:
    viewer_or_owner = gw.register("plugin-zip")
    answer = gw.call("GET", PLUGIN, viewer_or_owner)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"] == 'attachment; filename="igny8-bridge-1.0.0.zip"'
    assert answer.headers["x-plugin-version"] == "1.0.0"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        names = sorted(archive.namelist())
        expected = sorted(f"igny8-bridge/{p.relative_to(PLUGIN_DIR).as_posix()}"
                          for p in plugin_files())
        assert names == expected
        main = archive.read("igny8-bridge/igny8-bridge.php")
    assert main == (PLUGIN_DIR / "igny8-bridge.php").read_bytes()

    # Asked again: the same stored object (the name carries the digest), the same bytes.
    again = gw.call("GET", PLUGIN, viewer_or_owner)
    assert again.content == answer.content
    assert again.headers["etag"] == answer.headers["etag"]


def test_the_plugin_zip_needs_a_signed_in_user(gw: Gateway) -> None:
    refused = gw.fail(gw.call("GET", PLUGIN), 401)
    assert refused["success"] is False
