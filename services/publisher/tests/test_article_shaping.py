"""Shaping an article into a WordPress post: image sources rewritten, the marker that finds
the post again, SEO meta only where WordPress accepts it, status and date."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from igny8_publisher.domain import articles

CONTENT = uuid.UUID("3f1c2b2e-8a43-4a55-9d7e-0c7b7f0d9a11")
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_in_article_image_sources_are_rewritten_and_nothing_else() -> None:
    html = ('<p>Intro</p><img src="/api/v1/writer/images/a/file" alt="A">'
            "<img alt='B' src='/api/v1/writer/images/b/file'><img src=\"https://other/x.png\">"
            "<p>src=\"/api/v1/writer/images/a/file\" in text</p>")
    rewritten = articles.rewrite_sources(html, {
        "/api/v1/writer/images/a/file": "https://blog.example/wp-content/uploads/a.png",
        "/api/v1/writer/images/b/file": "https://blog.example/wp-content/uploads/b.png"})
    assert 'src="https://blog.example/wp-content/uploads/a.png"' in rewritten
    assert "src='https://blog.example/wp-content/uploads/b.png'" in rewritten
    assert 'src="https://other/x.png"' in rewritten


def test_the_marker_is_appended_and_recognised() -> None:
    html = articles.with_marker("<p>Body</p>", CONTENT)
    assert html.endswith(f"<!-- igny8-content-id:{CONTENT} -->")
    assert articles.has_marker(html, CONTENT)
    assert not articles.has_marker(html, uuid.uuid4())


def test_seo_meta_is_sent_only_for_keys_wordpress_registered() -> None:
    meta: dict[str, str | list[str]] = {**articles.seo_meta("Title", "Description", "focus")}
    assert articles.registered_meta(meta, {}) == {}
    assert articles.registered_meta(meta, {"_yoast_wpseo_title": "string",
                                           "rank_math_focus_keyword": "string"}) == {
        "_yoast_wpseo_title": "Title", "rank_math_focus_keyword": "focus"}


def test_meta_values_take_the_registered_type() -> None:
    keywords = [uuid.uuid4(), uuid.uuid4()]
    meta = articles.igny8_meta(CONTENT, None, None, CONTENT, keywords)
    as_array = articles.registered_meta(meta, {"_igny8_keyword_ids": "array",
                                               "_igny8_content_id": "string"})
    assert as_array == {"_igny8_keyword_ids": [str(k) for k in keywords],
                        "_igny8_content_id": str(CONTENT)}
    as_string = articles.registered_meta(meta, {"_igny8_keyword_ids": "string"})
    assert as_string == {"_igny8_keyword_ids": ",".join(str(k) for k in keywords)}


def test_future_needs_a_date_and_a_past_date_publishes_now() -> None:
    later = articles.post_status("future", NOW + timedelta(days=2), NOW)
    assert later == articles.PostStatus("future", "2026-11-23T12:00:00")
    assert articles.post_status("future", NOW - timedelta(hours=1), NOW).status == "publish"
    assert articles.post_status("draft", None, NOW) == articles.PostStatus("draft", None)
    with pytest.raises(ValueError, match="publish_at"):
        articles.post_status("future", None, NOW)


def test_media_slugs_and_file_names_carry_the_image_id() -> None:
    image = uuid.UUID("0b9e7c7a-1111-4a55-9d7e-0c7b7f0d9a11")
    assert articles.media_filename(image, "image/jpeg") == f"igny8-{image}.jpg"
    assert articles.media_slug(image) == f"igny8-{image}"
