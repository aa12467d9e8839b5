"""Publishing one article to an integration's WordPress, idempotently.

1. The (integration, content) publishing record is created (committed) before WordPress is
   called, then locked for the whole article: a double click or a redelivered command waits
   and then updates the same post.
2. The article comes from the writer; every image's bytes are read from the media store
   before anything is sent (a missing image fails the article with no half post).
3. Images go to the media library under a slug made of their IGNY8 id (found again instead of
   uploaded twice), the in-article ``src`` attributes are rewritten to WordPress's URLs,
   categories and tags are mapped (missing ones created), the SEO and ``_igny8_*`` meta are
   sent where WordPress accepts them (the bridge plugin registers them).
4. The post is the record's, else the one carrying the article's marker (created before a
   crash that lost the record), else a new one. The record, with the event
   (ContentPublished / PublishFailed), is committed with the outcome.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from igny8_contracts.publisher import ContentPublished, PublishFailed
from igny8_contracts.writer import PublishableContent, PublishableImage
from igny8_publisher.adapters.safe_http import SafeHttp
from igny8_publisher.adapters.wordpress import SiteCache, WordPressError
from igny8_publisher.adapters.writer_content import ContentSource, ContentUnavailable
from igny8_publisher.domain import articles
from igny8_publisher.service_layer.connections import wordpress_client
from igny8_publisher.service_layer.uow import PublisherUnitOfWork
from igny8_publisher.settings import PublisherSettings
from igny8_runtime.failpoints import failpoint
from igny8_runtime.media import MediaNotFound, MediaStore
from igny8_runtime.secrets import SecretBox


class WordPressSite(Protocol):
    """What publishing an article asks of a WordPress site (``WordPressClient`` does it)."""

    async def find_media(self, slug: str) -> dict[str, Any] | None: ...

    async def upload_media(self, filename: str, data: bytes, mime_type: str, *, slug: str,
                           title: str, alt_text: str, caption: str) -> dict[str, Any]: ...

    async def registered_meta_keys(self) -> dict[str, str]: ...

    def forget_meta(self) -> None: ...

    async def term_ids(self, taxonomy: Literal["categories", "tags"],
                       names: list[str]) -> list[int]: ...

    async def get_post(self, post_id: str) -> dict[str, Any] | None: ...

    async def find_posts(self, search: str) -> list[dict[str, Any]]: ...

    async def create_post(self, body: dict[str, Any]) -> dict[str, Any]: ...

    async def update_post(self, post_id: str, body: dict[str, Any]) -> dict[str, Any]: ...


# (settings, url, username, app password, what the site told us recently, shared HTTP)
ClientFactory = Callable[[PublisherSettings, str, str, str, dict[str, Any] | None,
                          SafeHttp | None], AbstractAsyncContextManager[WordPressSite]]


@dataclass
class Publisher:
    """What publishing needs, built once at start-up (the sites' cache and the kept-alive
    HTTP connections are shared by every article)."""

    uow: Callable[[], PublisherUnitOfWork]
    contents: ContentSource
    media: MediaStore
    box: SecretBox
    settings: PublisherSettings
    client_factory: ClientFactory = wordpress_client
    sites: SiteCache = field(default_factory=SiteCache)
    http: SafeHttp | None = None  # shared by the articles (kept-alive connections); own if None


@dataclass(frozen=True)
class Outcome:
    content_id: uuid.UUID
    ok: bool
    external_id: str | None = None
    external_url: str | None = None
    error: str | None = None
    retryable: bool = False
    repeated: bool = False

    def as_result(self) -> dict[str, Any]:
        return {"content_id": str(self.content_id), "ok": self.ok, "external_id": self.external_id,
                "external_url": self.external_url, "error": self.error}


class ArticleFailed(Exception):  # noqa: N818
    def __init__(self, message: str, retryable: bool = False, needs_attention: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.needs_attention = needs_attention


async def publish_article(publisher: Publisher, *, account_id: uuid.UUID,
                          integration_id: uuid.UUID, content_id: uuid.UUID, status: str,
                          publish_at: datetime | None, operation_id: uuid.UUID) -> Outcome:
    async with publisher.uow() as uow:
        integration = await uow.integrations.get(account_id, integration_id)
        if integration is None:
            return Outcome(content_id, ok=False, error="The integration no longer exists.")
        await uow.records.begin_attempt({
            "id": uuid.uuid4(), "account_id": account_id, "site_id": integration["site_id"],
            "integration_id": integration_id, "content_id": content_id})
        await uow.commit()

    async with publisher.uow() as uow:
        record = await uow.records.lock(integration_id, content_id)
        if record["operation_id"] == operation_id and record["status"] == "published":
            return Outcome(content_id, ok=True, external_id=record["external_id"],
                           external_url=record["external_url"], repeated=True)
        integration = await uow.integrations.get(account_id, integration_id)
        assert integration is not None
        await uow.records.change(record["id"], {"operation_id": operation_id, "status": "publishing"})
        try:
            if not integration["is_active"]:
                raise ArticleFailed("The integration is switched off.")
            post, version, media = await _publish(publisher, integration, record, content_id,
                                                  status, publish_at)
        except ArticleFailed as failed:
            await uow.records.change(record["id"], {"status": "failed", "errors": [failed.message]})
            if failed.needs_attention:
                await uow.integrations.change(integration_id, {
                    "status": "needs_attention", "last_error": failed.message})
            uow.emit(PublishFailed(account_id=account_id, site_id=integration["site_id"],
                                   content_id=content_id, integration_id=integration_id,
                                   reason=failed.message, retryable=failed.retryable),
                     account_id=account_id)
            await uow.commit()
            return Outcome(content_id, ok=False, error=failed.message, retryable=failed.retryable)
        external_id, url = str(post["id"]), str(post.get("link") or "")
        await uow.records.change(record["id"], {
            "status": "published", "external_id": external_id, "external_url": url,
            "wordpress_status": post.get("status"), "content_version": version, "errors": [],
            "media": media, "published_at": datetime.now(UTC)})
        uow.emit(ContentPublished(account_id=account_id, site_id=integration["site_id"],
                                  content_id=content_id, integration_id=integration_id,
                                  external_id=external_id, external_url=url,
                                  wordpress_status=str(post.get("status")),
                                  content_version=version), account_id=account_id)
        await uow.commit()
        return Outcome(content_id, ok=True, external_id=external_id, external_url=url)


async def _publish(publisher: Publisher, integration: dict[str, Any], record: dict[str, Any],
                   content_id: uuid.UUID, status: str,
                   publish_at: datetime | None) -> tuple[dict[str, Any], int, dict[str, Any]]:
    try:
        content = await publisher.contents.publishable(integration["account_id"], content_id)
    except ContentUnavailable as exc:
        raise ArticleFailed(exc.message, retryable=exc.retryable) from exc
    if content.site_id != integration["site_id"]:
        raise ArticleFailed("The content belongs to another site than the integration's.")
    try:
        wanted = articles.post_status(status, publish_at, datetime.now(UTC))
    except ValueError as exc:
        raise ArticleFailed(str(exc)) from exc
    images = sorted(content.images, key=lambda i: (i.role != "featured", i.position))
    blobs = await _read_images(publisher.media, images)
    password = publisher.box.decrypt(integration["app_password_encrypted"])
    site = (integration["url"], integration["username"])
    # Only an earlier attempt can have left media or a post behind to be found again.
    retrying = record["attempts"] > 1
    try:
        async with publisher.client_factory(publisher.settings, *site, password,
                                            publisher.sites.of(*site), publisher.http) as client:
            media = await _upload_images(client, images, blobs, dict(record["media"] or {}),
                                         content, retrying)
            post = await _save_post(client, record, content, wanted, media, images, retrying,
                                    integration["default_author_id"])
    except WordPressError as exc:
        publisher.sites.forget(*site)
        raise ArticleFailed(exc.message, retryable=exc.retryable,
                            needs_attention=exc.needs_attention) from exc
    return post, content.version, media


async def _read_images(store: MediaStore, images: list[PublishableImage]) -> dict[uuid.UUID, bytes]:
    blobs: dict[uuid.UUID, bytes] = {}
    for image in images:
        try:
            blobs[image.image_id] = await store.get(image.storage_key)
        except (MediaNotFound, ValueError) as exc:
            raise ArticleFailed(f"The {image.role.replace('_', '-')} image {image.image_id} has no "
                                f"file ({image.storage_key}); nothing was sent to WordPress.") from exc
    return blobs


async def _upload_images(client: WordPressSite, images: list[PublishableImage],
                         blobs: dict[uuid.UUID, bytes], known: dict[str, Any],
                         content: PublishableContent, retrying: bool) -> dict[str, Any]:
    """``{image_id: {"id": media id, "url": source url}}`` for every image."""
    media: dict[str, Any] = {}
    for image in images:
        key = str(image.image_id)
        slug = articles.media_slug(image.image_id)
        item = known.get(key) or (await client.find_media(slug) if retrying else None)
        if item is None:
            uploaded = await client.upload_media(
                articles.media_filename(image.image_id, image.mime_type), blobs[image.image_id],
                image.mime_type, slug=slug, title=image.alt_text or content.title,
                alt_text=image.alt_text,
                caption=image.caption)
            item = {"id": uploaded["id"], "source_url": uploaded.get("source_url")}
        media[key] = {"id": int(item["id"]), "url": str(item.get("url") or item.get("source_url"))}
    return media


async def _save_post(client: WordPressSite, record: dict[str, Any], content: PublishableContent,
                     wanted: articles.PostStatus, media: dict[str, Any],
                     images: list[PublishableImage], retrying: bool,
                     author: int | None) -> dict[str, Any]:
    featured = next((i for i in images if i.role == "featured"), None)
    sources = {i.src: media[str(i.image_id)]["url"] for i in images if i.src}
    html = articles.with_marker(articles.rewrite_sources(content.html, sources), content.content_id)
    wanted_meta = {
        **articles.seo_meta(content.meta_title, content.meta_description, content.focus_keyword),
        **articles.igny8_meta(content.content_id, content.task_id, content.cluster_id,
                              content.sector_id, content.keyword_ids)}
    meta = articles.registered_meta(wanted_meta, await client.registered_meta_keys())
    body = articles.post_body(
        title=content.title, content=html, slug=content.slug, excerpt=content.excerpt,
        status=wanted, categories=await client.term_ids("categories", content.categories),
        tags=await client.term_ids("tags", content.tags), author=author,
        featured_media=media[str(featured.image_id)]["id"] if featured else None, meta=meta)
    post_id = await _existing_post(client, record["external_id"], content.content_id, retrying)
    if post_id is not None:
        post = await client.update_post(post_id, body)
    else:
        post = await client.create_post(body)
        # Crash here (tests): WordPress has the post, the record does not; the retry finds it
        # by its marker and updates it.
        failpoint("publisher.after_post_created")
    return await _complete_meta(client, post, wanted_meta, meta)


async def _complete_meta(client: WordPressSite, post: dict[str, Any],
                         wanted: dict[str, str | list[str]],
                         sent: dict[str, str | list[str]]) -> dict[str, Any]:
    """The post answers the meta WordPress registers now: if a plugin registered more since
    they were last read (e.g. the bridge plugin just activated), send the rest."""
    registered = post.get("meta")
    if not isinstance(registered, dict) or not (set(registered) & set(wanted)) - set(sent):
        return post
    client.forget_meta()
    rest = articles.registered_meta(wanted, await client.registered_meta_keys())
    return await client.update_post(str(post["id"]), {"meta": rest})


async def _existing_post(client: WordPressSite, external_id: str | None,
                         content_id: uuid.UUID, retrying: bool) -> str | None:
    if external_id:
        post = await client.get_post(external_id)
        if post is not None and post.get("status") != "trash":
            return external_id
    if not retrying:
        return None
    found = await client.find_posts(f"{articles.MARKER_PREFIX}{content_id}")
    for post in found:
        raw = (post.get("content") or {}).get("raw") or ""
        if articles.has_marker(raw, content_id):
            return str(post["id"])
    return None
