"""The local WordPress fixture itself: installed, REST API with application passwords, pretty
permalinks, PHP snippets in its context, plugins, the REST switch."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.wordpress.wordpress import LocalWordPress


def test_rest_api_answers_the_admin_with_its_application_password(fresh_wordpress: LocalWordPress) -> None:
    with fresh_wordpress.rest() as client:
        me = client.get("/wp/v2/users/me", params={"context": "edit"})
        assert me.status_code == 200
        assert me.json()["capabilities"]["publish_posts"] is True
        created = client.post("/wp/v2/posts", json={"title": "Fixture post", "status": "publish"})
        assert created.status_code == 201
    assert created.json()["link"] == f"{fresh_wordpress.base_url}/fixture-post/"
    assert "Fixture post" in [p["title"]["raw"] for p in fresh_wordpress.posts()]
    wrong = httpx.get(f"{fresh_wordpress.rest_url}/wp/v2/users/me", auth=("admin", "wrong pass word"))
    assert wrong.status_code == 401


def test_php_snippets_run_inside_wordpress(fresh_wordpress: LocalWordPress) -> None:
    assert fresh_wordpress.php("echo get_option('blogname');") == "IGNY8 test site"
    author = fresh_wordpress.create_user("writer1", "author")
    assert fresh_wordpress.php_json(f"get_userdata({author})->roles") == ["author"]


def test_plugins_are_activated_from_a_folder(fresh_wordpress: LocalWordPress, tmp_path: Path) -> None:
    plugin = tmp_path / "hello-route"
    plugin.mkdir()
    (plugin / "hello-route.php").write_text(
        "<?php\n/*\nPlugin Name: Hello route\n*/\nadd_action('rest_api_init', function () {\n"
        "  register_rest_route('hello/v1', '/ping', ['methods' => 'GET',"
        " 'permission_callback' => '__return_true', 'callback' => fn() => ['pong' => true]]);\n});\n")
    plugin_file = fresh_wordpress.activate_plugin(plugin)
    assert plugin_file == "hello-route/hello-route.php"
    assert httpx.get(f"{fresh_wordpress.rest_url}/hello/v1/ping").json() == {"pong": True}
    fresh_wordpress.deactivate_plugin(plugin_file)
    assert httpx.get(f"{fresh_wordpress.rest_url}/hello/v1/ping").status_code == 404


def test_the_rest_api_can_be_switched_off(fresh_wordpress: LocalWordPress) -> None:
    with fresh_wordpress.rest_api_disabled():
        assert httpx.get(f"{fresh_wordpress.rest_url}/").status_code == 403
    assert httpx.get(f"{fresh_wordpress.rest_url}/").status_code == 200
