"""An integration's default post author, against the real WordPress: chosen (owners and admins)
among the authors its structure read found, refused with a field error before the structure is
read or for an id that is not one of them; the post published reads back with that author, and
clearing the choice leaves the author to WordPress (the connecting user)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Gateway, Team, build_team
from tests.e2e.publisher_fixtures import (
    INTEGRATIONS,
    FakeWriter,
    article,
    connect,
    finished,
    publish,
    running_fake_writer,
)
from tests.wordpress.wordpress import LocalWordPress

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("publisher")]


@pytest.fixture(scope="module")
def fake_writer(nats_url: str, igny8_tmp_dir: Path,
                request: pytest.FixtureRequest) -> Iterator[FakeWriter]:
    with running_fake_writer(nats_url, igny8_tmp_dir, request) as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def crew(api: httpx.Client) -> Team:
    return build_team(Gateway(api))


def published_author(gw: Gateway, crew: Team, wp: LocalWordPress, integration_id: str,
                     fake_writer: FakeWriter) -> int:
    """Publishes a new article and answers the author of the post WordPress has."""
    content = fake_writer.add(article(crew.owner.account_id, crew.granted_site["id"],
                                      fake_writer.media, in_article=0))
    operation = finished(gw, crew.editor, publish(gw, crew.editor, integration_id,
                                                  [content.content_id]))
    assert operation["state"] == "succeeded", operation
    [outcome] = operation["result"]["articles"]
    with wp.rest() as client:
        post: dict[str, Any] = client.get(f"/wp/v2/posts/{outcome['external_id']}",
                                          params={"context": "edit"}).json()
    return int(post["author"])


def test_the_default_author_is_one_of_the_sites_authors_and_writes_the_posts(
        gw: Gateway, crew: Team, wordpress: LocalWordPress, fake_writer: FakeWriter) -> None:
    login = f"author-{uuid.uuid4().hex[:8]}"
    author_id = wordpress.create_user(login, "author")
    integration = connect(gw, crew.owner, crew.granted_site["id"], wordpress.base_url,
                          wordpress.admin_user, wordpress.app_password)
    path = f"{INTEGRATIONS}{integration['id']}/default-author/"
    assert gw.ok(gw.call("GET", path, crew.viewer)) == {
        "integration_id": integration["id"], "author_id": None, "author": None}

    early = gw.fail(gw.call("PUT", path, crew.owner, json={"author_id": author_id}), 400)
    assert "update the structure" in early["errors"]["author_id"][0]
    gw.ok(gw.call("POST", f"{INTEGRATIONS}{integration['id']}/update-structure/", crew.editor))

    unknown = gw.fail(gw.call("PUT", path, crew.owner, json={"author_id": 987654}), 400)
    assert "987654" in unknown["errors"]["author_id"][0]
    assert "author_id" in gw.fail(gw.call("PUT", path, crew.owner, json={"author_id": 0}),
                                  400)["errors"]
    assert "author_id" in gw.fail(gw.call("PUT", path, crew.owner, json={}), 400)["errors"]
    for member in (crew.editor, crew.viewer):
        gw.fail(gw.call("PUT", path, member, json={"author_id": author_id}), 403)
    outsider = gw.register("outsider")
    gw.fail(gw.call("PUT", path, outsider, json={"author_id": author_id}), 404)
    gw.fail(gw.call("GET", path, outsider), 404)

    chosen = gw.ok(gw.call("PUT", path, crew.admin, json={"author_id": author_id}))
    assert chosen["author_id"] == author_id and chosen["author"]["slug"] == login
    assert gw.ok(gw.call("GET", path, crew.viewer)) == chosen
    assert published_author(gw, crew, wordpress, integration["id"], fake_writer) == author_id

    cleared = gw.ok(gw.call("PUT", path, crew.owner, json={"author_id": None}))
    assert cleared["author_id"] is None and cleared["author"] is None
    admin_id = int(wordpress.php(f"echo get_user_by('login', '{wordpress.admin_user}')->ID;"))
    assert published_author(gw, crew, wordpress, integration["id"], fake_writer) == admin_id
