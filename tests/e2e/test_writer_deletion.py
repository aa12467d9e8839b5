"""Deleting writer content through the gateway: the article goes with its versions, its image
rows and its image files (removed after the commit; one that cannot be removed is logged and
the deletion still succeeds). Deleting a task keeps its article and images. Tenancy, roles and
bad input."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.idea_fixtures import balance
from tests.e2e.image_fixtures import GENERATE_IMAGES, IMAGES, images_of, seed_article
from tests.e2e.planner_fixtures import finished
from tests.e2e.writer_fixtures import CONTENT, TASKS, writer_rows

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("writer")]


def illustrated(gw: Any, db: Any, member: Any, sector: dict[str, Any], title: str,
                media: Path) -> tuple[dict[str, str], list[Any], list[Path]]:
    """A seeded article with a featured and one in-article image; its images and files."""
    seeded = seed_article(db, member, sector, title=title)
    accepted = gw.ok(gw.call("POST", GENERATE_IMAGES, member, json={
        "task_ids": [seeded["task_id"]], "in_article_count": 1}), 202)
    assert finished(gw, member, accepted["operation_id"])["state"] == "succeeded"
    found = images_of(gw, member, content_id=seeded["content_id"])
    files = [media / i["storage_key"] for i in found]
    assert len(found) == 2 and all(f.is_file() for f in files)
    return seeded, found, files


def count(db: Any, table: str, content_id: str) -> int:
    rows = writer_rows(db, f"SELECT count(*) AS n FROM writer.{table} WHERE content_id = :c",
                       c=content_id)
    return int(rows[0]["n"])


def test_deleting_content_removes_versions_images_and_files(gw, db, team,
                                                            igny8_tmp_dir) -> None:
    owner, media = team.owner, igny8_tmp_dir / "media"
    balance(gw, owner)
    seeded, found, files = illustrated(gw, db, owner, team.granted_sector, "Kayaks", media)

    # Deleting the task keeps its article, images and files (the article is the deliverable).
    gw.ok(gw.call("POST", f"{TASKS}bulk_delete/", owner, json={"ids": [seeded["task_id"]]}))
    assert gw.ok(gw.call("GET", f"{CONTENT}{seeded['content_id']}/", owner))["task_id"] is None
    assert all(f.is_file() for f in files)
    assert gw.call("GET", f"{IMAGES}{found[0]['id']}/file", owner).status_code == 200

    stranger = gw.register("deleter-stranger")
    gw.fail(gw.call("DELETE", f"{CONTENT}{seeded['content_id']}/", stranger), 404)
    gw.fail(gw.call("DELETE", f"{CONTENT}{seeded['content_id']}/", team.viewer), 403)
    assert count(db, "content_versions", seeded["content_id"]) == 2  # generated + images placed

    gw.ok(gw.call("DELETE", f"{CONTENT}{seeded['content_id']}/", team.editor))
    gw.fail(gw.call("GET", f"{CONTENT}{seeded['content_id']}/", owner), 404)
    assert images_of(gw, owner, content_id=seeded["content_id"]) == []
    gw.fail(gw.call("GET", f"{IMAGES}{found[0]['id']}/", owner), 404)
    assert not any(f.exists() for f in files)
    assert count(db, "content_versions", seeded["content_id"]) == 0
    assert count(db, "images", seeded["content_id"]) == 0
    gw.fail(gw.call("DELETE", f"{CONTENT}{seeded['content_id']}/", owner), 404)


def test_bulk_delete_scope_and_a_file_that_cannot_be_removed(gw, db, team,
                                                             igny8_tmp_dir) -> None:
    owner, media = team.owner, igny8_tmp_dir / "media"
    balance(gw, owner)
    seeded, _, files = illustrated(gw, db, owner, team.granted_sector, "Paddles", media)
    hidden = seed_article(db, owner, team.other_sector, title="Hidden article")
    # One file cannot be removed (a directory in its place): logged, not fatal.
    files[0].unlink()
    files[0].mkdir()
    (files[0] / "keep").write_text("x")

    ids = [seeded["content_id"], hidden["content_id"]]
    # The editor does not see the other site's article: only the granted one is deleted.
    deleted = gw.ok(gw.call("POST", f"{CONTENT}bulk_delete/", team.editor, json={"ids": ids}))
    assert deleted == {"deleted_count": 1}
    assert not files[1].exists() and files[0].is_dir()
    gw.ok(gw.call("GET", f"{CONTENT}{hidden['content_id']}/", owner))
    assert gw.ok(gw.call("POST", f"{CONTENT}bulk_delete/", owner,
                         json={"ids": ids}))["deleted_count"] == 1
    gw.fail(gw.call("GET", f"{CONTENT}{hidden['content_id']}/", owner), 404)
    shutil.rmtree(files[0])

    body = gw.fail(gw.call("POST", f"{CONTENT}bulk_delete/", owner, json={"ids": []}), 400)
    assert "ids" in body["errors"]
    body = gw.fail(gw.call("POST", f"{CONTENT}bulk_delete/", owner,
                           json={"ids": ["not-a-uuid"]}), 400)
    assert "ids" in str(body["errors"])
    gw.fail(gw.call("POST", f"{CONTENT}bulk_delete/", team.viewer,
                    json={"ids": [seeded["content_id"]]}), 403)
