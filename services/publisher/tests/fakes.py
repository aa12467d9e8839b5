"""The publisher's unit of work in memory, and a WordPress in memory, for fast tests of the
service layer (no PostgreSQL, no NATS, no WordPress).

The fake repositories keep their rows in one ``FakePublisherTables`` (what the publisher's
schema would hold), shared by every unit of work a test opens; rows are dicts with the tables'
columns and defaults, as the real repositories answer them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from igny8_contracts.writer import PublishableContent
from igny8_devtools.fake_uow import FakeUnitOfWork
from igny8_publisher.adapters.integration_repository import IntegrationRepository, RecordRepository
from igny8_publisher.adapters.safe_http import SafeHttp
from igny8_publisher.adapters.webhook_repository import Delivery, StoredSecret, WebhookRepository
from igny8_publisher.adapters.writer_content import ContentUnavailable
from igny8_publisher.service_layer.uow import PublisherUnitOfWork
from igny8_publisher.settings import PublisherSettings
from igny8_runtime.media import MediaNotFound

Row = dict[str, Any]


def _now() -> datetime:
    return datetime.now(UTC)


def _visible(row: Row, account_id: uuid.UUID,
             visible_site_ids: Sequence[uuid.UUID] | None) -> bool:
    return row["account_id"] == account_id and (
        visible_site_ids is None or row["site_id"] in visible_site_ids)


@dataclasses.dataclass
class FakePublisherTables:
    integrations: dict[uuid.UUID, Row] = dataclasses.field(default_factory=dict)
    records: dict[uuid.UUID, Row] = dataclasses.field(default_factory=dict)
    secrets: dict[uuid.UUID, tuple[StoredSecret, datetime]] = dataclasses.field(
        default_factory=dict)
    deliveries: list[Delivery] = dataclasses.field(default_factory=list)


class FakeIntegrationRepository(IntegrationRepository):
    def __init__(self, tables: FakePublisherTables) -> None:
        self.tables = tables

    async def add(self, row: Row) -> Row | None:
        if any(r["site_id"] == row["site_id"] and r["platform"] == row["platform"]
               for r in self.tables.integrations.values()):
            return None
        stored = {"is_active": True, "status": "active", "last_error": "",
                  "auto_publish": False, "publish_status": "publish", "last_checked_at": None,
                  "structure": None, "default_author_id": None, "created_at": _now(),
                  "updated_at": _now(), **row}
        self.tables.integrations[row["id"]] = stored
        return dict(stored)

    async def get(self, account_id: uuid.UUID, integration_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None = None, *,
                  for_update: bool = False) -> Row | None:
        row = self.tables.integrations.get(integration_id)
        return dict(row) if row is not None and _visible(row, account_id, visible_site_ids) else None

    async def for_site(self, account_id: uuid.UUID, site_id: uuid.UUID) -> Row | None:
        return next((dict(r) for r in self.tables.integrations.values()
                     if r["account_id"] == account_id and r["site_id"] == site_id), None)

    async def change(self, integration_id: uuid.UUID, values: Row) -> Row:
        row = self.tables.integrations[integration_id]
        row.update(values, updated_at=_now())
        return dict(row)

    async def delete(self, integration_id: uuid.UUID) -> None:
        self.tables.integrations.pop(integration_id)
        for record_id in [k for k, r in self.tables.records.items()
                          if r["integration_id"] == integration_id]:
            del self.tables.records[record_id]


class FakeRecordRepository(RecordRepository):
    def __init__(self, tables: FakePublisherTables) -> None:
        self.tables = tables

    def _of(self, integration_id: uuid.UUID, content_id: uuid.UUID) -> Row | None:
        return next((r for r in self.tables.records.values()
                     if r["integration_id"] == integration_id and r["content_id"] == content_id),
                    None)

    async def begin_attempt(self, row: Row) -> None:
        existing = self._of(row["integration_id"], row["content_id"])
        if existing is not None:
            existing.update(attempts=existing["attempts"] + 1, updated_at=_now())
            return
        self.tables.records[row["id"]] = {
            "content_version": None, "external_id": None, "external_url": None,
            "status": "publishing", "wordpress_status": None, "errors": [], "operation_id": None,
            "media": {}, "published_at": None, "created_at": _now(), "updated_at": _now(),
            **row, "attempts": 1}

    async def lock(self, integration_id: uuid.UUID, content_id: uuid.UUID) -> Row:
        found = self._of(integration_id, content_id)
        assert found is not None, "begin_attempt creates the record first"
        return dict(found)

    async def change(self, record_id: uuid.UUID, values: Row) -> None:
        self.tables.records[record_id].update(values, updated_at=_now())

    async def published_post(self, integration_id: uuid.UUID, content_id: uuid.UUID) -> str | None:
        found = self._of(integration_id, content_id)
        return None if found is None else found["external_id"]

    async def follow_wordpress_status(self, integration_id: uuid.UUID, content_id: uuid.UUID,
                                      wordpress_status: str) -> None:
        found = self._of(integration_id, content_id)
        if found is not None:
            found.update(wordpress_status=wordpress_status[:40], updated_at=_now())

    async def get(self, account_id: uuid.UUID, record_id: uuid.UUID,
                  visible_site_ids: Sequence[uuid.UUID] | None) -> Row | None:
        row = self.tables.records.get(record_id)
        return dict(row) if row is not None and _visible(row, account_id, visible_site_ids) else None


class FakeWebhookRepository(WebhookRepository):
    def __init__(self, tables: FakePublisherTables) -> None:
        self.tables = tables

    async def secret_of(self, integration_id: uuid.UUID) -> StoredSecret | None:
        found = self.tables.secrets.get(integration_id)
        return None if found is None else found[0]

    async def save_secret(self, secret: StoredSecret, issued_at: datetime) -> None:
        self.tables.secrets[secret.integration_id] = (secret, issued_at)

    async def forget_secret(self, integration_id: uuid.UUID) -> None:
        self.tables.secrets.pop(integration_id, None)

    async def record_delivery(self, delivery: Delivery) -> bool:
        if any(d.integration_id == delivery.integration_id
               and d.delivery_id == delivery.delivery_id for d in self.tables.deliveries):
            return False
        self.tables.deliveries.append(delivery)
        return True

    async def lock_post(self, integration_id: uuid.UUID, external_id: str) -> None:
        return None

    async def latest_change_of(self, integration_id: uuid.UUID, external_id: str) -> int | None:
        times = [d.occurred_at_us for d in self.tables.deliveries
                 if d.integration_id == integration_id and d.external_id == external_id
                 and d.occurred_at_us is not None]
        return max(times, default=None)


class FakePublisherUnitOfWork(FakeUnitOfWork, PublisherUnitOfWork):
    def __init__(self, tables: FakePublisherTables | None = None) -> None:
        super().__init__("publisher")
        self.tables = tables or FakePublisherTables()
        self.integrations = FakeIntegrationRepository(self.tables)
        self.records = FakeRecordRepository(self.tables)
        self.webhooks = FakeWebhookRepository(self.tables)


# ------------------------------------------------------------------------------ around publishing


class FakeContents:
    """The writer's publishable content, by content id."""

    def __init__(self) -> None:
        self.articles: dict[uuid.UUID, PublishableContent] = {}

    async def publishable(self, account_id: uuid.UUID, content_id: uuid.UUID) -> PublishableContent:
        found = self.articles.get(content_id)
        if found is None:
            raise ContentUnavailable("The content does not exist (or is not the account's).",
                                     False)
        return found


class FakeMedia:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self.files[key] = data

    async def get(self, key: str) -> bytes:
        if key not in self.files:
            raise MediaNotFound(key)
        return self.files[key]

    async def delete(self, key: str) -> None:
        self.files.pop(key, None)


class FakeWordPress:
    """One WordPress site's posts, media and terms, as the REST API keeps them."""

    def __init__(self) -> None:
        self.posts: dict[int, Row] = {}
        self.media: dict[int, Row] = {}
        self.terms: dict[str, dict[str, int]] = {"categories": {}, "tags": {}}
        self.meta_keys: dict[str, str] = {}
        self.passwords_seen: list[str] = []
        self._next_id = 100

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    async def find_media(self, slug: str) -> Row | None:
        return next((dict(m) for m in self.media.values() if m["slug"] == slug), None)

    async def upload_media(self, filename: str, data: bytes, mime_type: str, *, slug: str,
                           title: str, alt_text: str, caption: str) -> Row:
        media_id = self._new_id()
        self.media[media_id] = {"id": media_id, "slug": slug, "data": data,
                                "source_url": f"https://wp.test/uploads/{filename}"}
        return dict(self.media[media_id])

    async def registered_meta_keys(self) -> dict[str, str]:
        return self.meta_keys

    def forget_meta(self) -> None:
        return None

    async def term_ids(self, taxonomy: Literal["categories", "tags"],
                       names: list[str]) -> list[int]:
        known = self.terms[taxonomy]
        for name in names:
            known.setdefault(name.lower(), self._new_id())
        return [known[name.lower()] for name in names]

    async def get_post(self, post_id: str) -> Row | None:
        found = self.posts.get(int(post_id))
        return None if found is None else dict(found)

    async def find_posts(self, search: str) -> list[Row]:
        return [dict(p) for p in self.posts.values() if search in p["content"]["raw"]]

    async def create_post(self, body: Row) -> Row:
        return await self._save(self._new_id(), body)

    async def update_post(self, post_id: str, body: Row) -> Row:
        return await self._save(int(post_id), {**self.posts[int(post_id)]["body"], **body})

    async def _save(self, post_id: int, body: Row) -> Row:
        self.posts[post_id] = {"id": post_id, "status": body.get("status"), "body": body,
                               "link": f"https://wp.test/?p={post_id}",
                               "content": {"raw": body.get("content", "")}}
        return dict(self.posts[post_id])

    def client_factory(self) -> Any:
        """A ``Publisher.client_factory`` that connects every integration to this site."""

        @contextlib.asynccontextmanager
        async def connect(settings: PublisherSettings, url: str, username: str,
                          app_password: str, known: Row | None,
                          http: SafeHttp | None) -> AsyncIterator[FakeWordPress]:
            self.passwords_seen.append(app_password)
            yield self

        return connect
