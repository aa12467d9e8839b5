"""The publisher's handlers on the in-memory unit of work and a WordPress in memory (no NATS,
PostgreSQL or WordPress): integrations keep their password encrypted, webhook deliveries are
verified once, publishing records the post and says so. The e2e tests run the same flows
against a real WordPress."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import UTC, datetime

import pytest

from igny8_contracts import QueryResult
from igny8_contracts.operations import PublisherOperationUpdated
from igny8_contracts.publisher import (
    ContentPublished,
    CreateIntegration,
    IntegrationView,
    NewIntegration,
    PublishContent,
    PublishFailed,
)
from igny8_contracts.publisher_sync import (
    ConnectionKey,
    ExternalPostStatusChanged,
    IssueConnectionKey,
    ReceiveWordPressStatusWebhook,
    WebhookReceipt,
)
from igny8_contracts.writer import ContentApproved, PublishableContent, PublishableImage
from igny8_publisher.app import load
from igny8_publisher.domain.webhooks import decode_connection_key, sign
from igny8_publisher.service_layer import integrations, webhooks
from igny8_publisher.service_layer.publish_operations import (
    publish_approved_content,
    publish_content,
)
from igny8_publisher.service_layer.publishing import Publisher
from igny8_publisher.settings import PublisherSettings
from igny8_runtime.operations import OperationReporter
from igny8_runtime.secrets import SecretBox
from services.publisher.tests.fakes import (
    FakeContents,
    FakeMedia,
    FakePublisherTables,
    FakePublisherUnitOfWork,
    FakeWordPress,
)

PASSWORD = "abcd efgh ijkl mnop"
BOX = SecretBox([SecretBox.generate_key().encode()])


def new_integration(site_id: uuid.UUID, url: str = "https://blog.example.com/") -> NewIntegration:
    return NewIntegration(site_id=site_id, url=url, username="editor", app_password=PASSWORD)


async def created(uow: FakePublisherUnitOfWork, account_id: uuid.UUID,
                  site_id: uuid.UUID) -> IntegrationView:
    async with uow:
        view = await integrations.create_integration(
            CreateIntegration(account_id=account_id, integration=new_integration(site_id)),
            uow, BOX)
    assert isinstance(view, IntegrationView)
    return view


# ------------------------------------------------------------------------------ integrations


async def test_an_integration_keeps_its_password_encrypted_and_never_answers_it() -> None:
    uow = FakePublisherUnitOfWork()
    view = await created(uow, uuid.uuid4(), uuid.uuid4())

    assert view.has_app_password and view.url == "https://blog.example.com"
    assert PASSWORD not in view.model_dump_json()
    stored = uow.tables.integrations[view.id]["app_password_encrypted"]
    assert stored != PASSWORD and PASSWORD not in stored
    assert BOX.decrypt(stored) == PASSWORD
    assert uow.commits == 1


async def test_a_site_has_one_integration() -> None:
    uow = FakePublisherUnitOfWork()
    account_id, site_id = uuid.uuid4(), uuid.uuid4()
    await created(uow, account_id, site_id)
    async with uow:
        again = await integrations.create_integration(
            CreateIntegration(account_id=account_id, integration=new_integration(site_id)),
            uow, BOX)
    assert isinstance(again, QueryResult) and again.error is not None
    assert again.error.status == 409 and again.error.errors is not None
    assert "site_id" in again.error.errors
    assert len(uow.tables.integrations) == 1


# ------------------------------------------------------------------------------ webhooks


class Site:
    """An integration with a connection key and a post it published (id 42)."""

    def __init__(self) -> None:
        self.uow = FakePublisherUnitOfWork()
        self.account_id, self.site_id, self.content_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        self.secret = ""
        self.integration_id = uuid.uuid4()

    async def connect(self) -> None:
        self.integration_id = (await created(self.uow, self.account_id, self.site_id)).id
        await self.uow.records.begin_attempt({
            "id": uuid.uuid4(), "account_id": self.account_id, "site_id": self.site_id,
            "integration_id": self.integration_id, "content_id": self.content_id})
        [record] = self.uow.tables.records.values()
        record.update(external_id="42", status="published")
        async with self.uow:
            key = await webhooks.issue_connection_key(IssueConnectionKey(
                account_id=self.account_id, integration_id=self.integration_id,
                webhook_url="https://igny8.test/api/v1/integration/webhooks/wordpress/status/"),
                self.uow, BOX, datetime.now(UTC))
        assert isinstance(key, ConnectionKey)
        self.secret = decode_connection_key(key.connection_key).secret

    def delivery(self, delivery_id: str, *, signed_at: float | None = None,
                 status: str = "draft") -> ReceiveWordPressStatusWebhook:
        body = json.dumps({"event": "post.status_changed", "post_id": 42,
                           "content_id": str(self.content_id), "status": status,
                           "occurred_at_us": int(time.time() * 1_000_000)}).encode()
        timestamp = str(int(signed_at if signed_at is not None else time.time()))
        return ReceiveWordPressStatusWebhook(
            integration_id=str(self.integration_id), delivery_id=delivery_id,
            timestamp=timestamp, signature=sign(self.secret, delivery_id, timestamp, body),
            body_base64=base64.b64encode(body).decode())

    async def receive(self, request: ReceiveWordPressStatusWebhook) -> WebhookReceipt | QueryResult:
        async with self.uow:
            return await webhooks.receive_status_webhook(request, self.uow, BOX,
                                                         datetime.now(UTC))


@pytest.fixture
async def site() -> Site:
    connected = Site()
    await connected.connect()
    return connected


async def test_a_valid_delivery_emits_the_posts_status_change(site: Site) -> None:
    receipt = await site.receive(site.delivery("delivery-0001"))
    assert isinstance(receipt, WebhookReceipt)
    assert (receipt.status, receipt.ignored) == ("draft", False)
    assert site.uow.committed_events == [ExternalPostStatusChanged(
        account_id=site.account_id, site_id=site.site_id, content_id=site.content_id,
        integration_id=site.integration_id, external_id="42", wordpress_status="draft",
        status="draft")]
    [record] = site.uow.tables.records.values()
    assert record["wordpress_status"] == "draft"  # the record shows what WordPress said


async def test_a_replayed_delivery_id_is_refused(site: Site) -> None:
    assert isinstance(await site.receive(site.delivery("delivery-0001")), WebhookReceipt)
    replayed = await site.receive(site.delivery("delivery-0001", status="publish"))
    assert isinstance(replayed, QueryResult) and replayed.error is not None
    assert replayed.error.status == 409
    assert len(site.uow.committed_events) == 1
    assert len(site.uow.tables.deliveries) == 1


@pytest.mark.parametrize("minutes", [-10, 10])
async def test_a_delivery_signed_too_long_ago_or_ahead_is_refused(site: Site,
                                                                  minutes: int) -> None:
    signed_at = time.time() + minutes * 60
    refused = await site.receive(site.delivery("delivery-0002", signed_at=signed_at))
    assert isinstance(refused, QueryResult) and refused.error is not None
    assert refused.error.status == 401 and refused.error.errors is not None
    assert "X-Igny8-Timestamp" in refused.error.errors
    assert site.uow.tables.deliveries == [] and site.uow.committed_events == []


async def test_a_delivery_signed_with_another_secret_is_refused(site: Site) -> None:
    site.secret = "not-the-integrations-secret"
    refused = await site.receive(site.delivery("delivery-0003"))
    assert isinstance(refused, QueryResult) and refused.error is not None
    assert refused.error.status == 401
    assert site.uow.tables.deliveries == [] and site.uow.committed_events == []


# ------------------------------------------------------------------------------ publishing


class Publishing:
    """An active integration, the writer's article with a featured image, and WordPress."""

    def __init__(self, *, auto_publish: bool = False) -> None:
        self.tables = FakePublisherTables()
        self.opened: list[FakePublisherUnitOfWork] = []
        self.wordpress = FakeWordPress()
        self.contents = FakeContents()
        self.media = FakeMedia()
        self.publisher = Publisher(
            uow=self.new_uow, contents=self.contents, media=self.media, box=BOX,
            settings=PublisherSettings(), client_factory=self.wordpress.client_factory())
        self.account_id, self.site_id = uuid.uuid4(), uuid.uuid4()
        self.integration_id = uuid.uuid4()
        self.tables.integrations[self.integration_id] = {
            "id": self.integration_id, "account_id": self.account_id, "site_id": self.site_id,
            "platform": "wordpress", "url": "https://wp.test", "username": "editor",
            "app_password_encrypted": BOX.encrypt(PASSWORD), "is_active": True,
            "status": "active", "last_error": "", "auto_publish": auto_publish,
            "publish_status": "draft", "default_author_id": None, "structure": None}
        self.progress: list[tuple[str, int, str]] = []

    def new_uow(self) -> FakePublisherUnitOfWork:
        uow = FakePublisherUnitOfWork(self.tables)
        self.opened.append(uow)
        return uow

    def article(self) -> uuid.UUID:
        content_id, image_id = uuid.uuid4(), uuid.uuid4()
        self.media.files[f"images/{image_id}.png"] = b"png bytes"
        self.contents.articles[content_id] = PublishableContent(
            content_id=content_id, account_id=self.account_id, site_id=self.site_id,
            sector_id=uuid.uuid4(), task_id=None, cluster_id=None, keyword_ids=[],
            title="Hello", slug="hello", html="<p>Hello</p>", excerpt="", meta_title="",
            meta_description="", focus_keyword="", categories=["News"], tags=[],
            status="approved", version=3, images=[PublishableImage(
                image_id=image_id, role="featured", position=0,
                storage_key=f"images/{image_id}.png", src="", alt_text="", caption="",
                mime_type="image/png")])
        return content_id

    async def report(self, reporter: OperationReporter, phase: str, percent: int,
                     message: str) -> None:
        self.progress.append((phase, percent, message))

    async def publish(self, content_ids: list[uuid.UUID],
                      operation_id: uuid.UUID | None = None) -> FakePublisherUnitOfWork:
        """Run the command in the consumer's unit of work (committed, as the consumer does)."""
        command = PublishContent(operation_id=operation_id or uuid.uuid4(),
                                 account_id=self.account_id, integration_id=self.integration_id,
                                 content_ids=content_ids, status="publish")
        uow = FakePublisherUnitOfWork(self.tables)
        async with uow:
            await publish_content(command, uow, self.publisher, self.report)
            await uow.commit()
        return uow

    def emitted(self) -> list[object]:
        return [event for uow in self.opened for event in uow.committed_events]


async def test_publishing_records_the_post_and_emits_content_published() -> None:
    publishing = Publishing()
    content_id = publishing.article()
    consumer = await publishing.publish([content_id, content_id])  # a repeated id: once

    [post] = publishing.wordpress.posts.values()
    [media] = publishing.wordpress.media.values()
    assert post["status"] == "publish" and post["body"]["featured_media"] == media["id"]
    assert str(content_id) in post["content"]["raw"]  # the marker a retry finds it by
    assert publishing.wordpress.passwords_seen == [PASSWORD]
    [record] = publishing.tables.records.values()
    assert (record["status"], record["external_id"], record["content_version"]) == (
        "published", str(post["id"]), 3)
    [published] = publishing.emitted()
    assert isinstance(published, ContentPublished)
    assert (published.content_id, published.external_id) == (content_id, str(post["id"]))
    assert publishing.progress == [("PUBLISH", 5, "Publishing article 1 of 1")]
    [operation] = consumer.committed_events
    assert isinstance(operation, PublisherOperationUpdated)
    assert operation.state == "succeeded" and operation.result is not None
    assert operation.result["published"] == 1


async def test_publishing_again_updates_the_same_post() -> None:
    publishing = Publishing()
    content_id = publishing.article()
    await publishing.publish([content_id])
    await publishing.publish([content_id])
    assert len(publishing.wordpress.posts) == 1
    assert len(publishing.wordpress.media) == 1
    [record] = publishing.tables.records.values()
    assert record["attempts"] == 2 and record["status"] == "published"


async def test_an_article_the_writer_does_not_have_fails_the_operation() -> None:
    publishing = Publishing()
    missing = uuid.uuid4()
    consumer = await publishing.publish([missing])
    assert publishing.wordpress.posts == {}
    [failed] = publishing.emitted()
    assert isinstance(failed, PublishFailed)
    assert (failed.content_id, failed.retryable) == (missing, False)
    [operation] = consumer.committed_events
    assert isinstance(operation, PublisherOperationUpdated) and operation.state == "failed"
    [record] = publishing.tables.records.values()
    assert record["status"] == "failed"


@pytest.mark.parametrize("auto_publish", [True, False])
async def test_approved_content_is_published_only_when_the_integration_says_so(
    auto_publish: bool,
) -> None:
    publishing = Publishing(auto_publish=auto_publish)
    content_id = publishing.article()
    approved = ContentApproved(account_id=publishing.account_id, site_id=publishing.site_id,
                               sector_id=uuid.uuid4(), task_id=None, content_id=content_id)
    uow = FakePublisherUnitOfWork(publishing.tables)
    async with uow:
        await publish_approved_content(approved, uow, publishing.publisher, uuid.uuid4())
    statuses = [p["status"] for p in publishing.wordpress.posts.values()]
    assert statuses == (["draft"] if auto_publish else [])



def test_the_consumers_keep_their_durable_names() -> None:
    """JetStream consumers are named by these: a new name would be a new consumer."""
    durables = {sub.durable: sub.message_type for sub in load().subscriptions}
    assert durables == {"publisher--publish-content": PublishContent,
                        "publisher--publish-approved-content": ContentApproved}
