"""Shaping an IGNY8 article into a WordPress post (pure): image sources rewritten to the media
library's URLs, the marker that finds the post again by its IGNY8 content id, SEO meta for
Yoast and Rank Math, status and date."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

MARKER_PREFIX = "igny8-content-id:"


def marker(content_id: uuid.UUID) -> str:
    """An HTML comment at the end of the post's content: the core REST API can search for it
    (no plugin needed), so a post created just before a crash is found again."""
    return f"<!-- {MARKER_PREFIX}{content_id} -->"


def has_marker(raw_content: str, content_id: uuid.UUID) -> bool:
    return marker(content_id) in raw_content


def media_slug(image_id: uuid.UUID) -> str:
    """The media library item's slug for an IGNY8 image (its file name is ``<slug>.<ext>``),
    so an upload interrupted before we recorded it is found again instead of duplicated."""
    return f"igny8-{image_id}"


EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}


def media_filename(image_id: uuid.UUID, mime_type: str) -> str:
    return f"{media_slug(image_id)}.{EXTENSIONS.get(mime_type, 'png')}"


def rewrite_sources(article_html: str, replacements: dict[str, str]) -> str:
    """Every ``src`` attribute (and ``srcset`` entry) equal to a key becomes its value."""
    if not replacements:
        return article_html

    def swap(match: re.Match[str]) -> str:
        quote, value = match.group(2), match.group(3)
        new = replacements.get(html.unescape(value))
        return match.group(0) if new is None else f"{match.group(1)}={quote}{html.escape(new)}{quote}"

    return re.sub(r"""(\bsrc)\s*=\s*(["'])(.*?)\2""", swap, article_html, flags=re.IGNORECASE)


def with_marker(article_html: str, content_id: uuid.UUID) -> str:
    return f"{article_html.rstrip()}\n{marker(content_id)}"


def seo_meta(meta_title: str, meta_description: str, focus_keyword: str) -> dict[str, str]:
    """The SEO plugins' post meta (registered for the REST API by the IGNY8 bridge plugin)."""
    return {
        "_yoast_wpseo_title": meta_title,
        "_yoast_wpseo_metadesc": meta_description,
        "_yoast_wpseo_focuskw": focus_keyword,
        "rank_math_title": meta_title,
        "rank_math_description": meta_description,
        "rank_math_focus_keyword": focus_keyword,
    }


def igny8_meta(content_id: uuid.UUID, task_id: uuid.UUID | None, cluster_id: uuid.UUID | None,
               sector_id: uuid.UUID, keyword_ids: list[uuid.UUID]) -> dict[str, str | list[str]]:
    return {
        "_igny8_content_id": str(content_id),
        "_igny8_task_id": str(task_id) if task_id else "",
        "_igny8_cluster_id": str(cluster_id) if cluster_id else "",
        "_igny8_sector_id": str(sector_id),
        "_igny8_keyword_ids": [str(k) for k in keyword_ids],
    }


@dataclass(frozen=True)
class PostStatus:
    status: str
    date_gmt: str | None


def post_status(requested: str, publish_at: datetime | None, now: datetime) -> PostStatus:
    """WordPress's status and GMT date: ``future`` needs a date in the future (else it is
    published now, as WordPress itself would)."""
    if requested != "future":
        return PostStatus(requested, None)
    if publish_at is None:
        raise ValueError("publishing as 'future' needs publish_at")
    when = publish_at if publish_at.tzinfo else publish_at.replace(tzinfo=UTC)
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return PostStatus("future" if when > now else "publish", stamp)


def registered_meta(meta: dict[str, str | list[str]],
                    available: dict[str, str]) -> dict[str, str | list[str]]:
    """Only the keys WordPress exposes over REST (others would make it refuse the post), each
    shaped as its registered type (``string`` or ``array`` of strings)."""
    shaped: dict[str, str | list[str]] = {}
    for key, value in meta.items():
        kind = available.get(key)
        if kind is None:
            continue
        if kind == "array":
            shaped[key] = value if isinstance(value, list) else ([value] if value else [])
        else:
            shaped[key] = ",".join(value) if isinstance(value, list) else value
    return shaped


def post_body(*, title: str, content: str, slug: str, excerpt: str, status: PostStatus,
              categories: list[int], tags: list[int], author: int | None,
              featured_media: int | None, meta: dict[str, str | list[str]]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": title, "content": content, "slug": slug, "excerpt": excerpt,
        "status": status.status, "categories": categories, "tags": tags,
        "featured_media": featured_media or 0,
    }
    if status.date_gmt:
        body["date_gmt"] = status.date_gmt
    if author:
        body["author"] = author
    if meta:
        body["meta"] = meta
    return body
