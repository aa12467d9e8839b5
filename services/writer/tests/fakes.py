"""The writer run in memory, for fast unit tests of its handlers (no PostgreSQL, no NATS).

``FakeWriter`` holds the tables (plain dicts), the objects the start hooks would provide, and
runs a registered handler the way the runtime does: ``deliver(event)`` in the unit of work that
records the message, then commits; ``ask(query)`` in a unit of work of its own (read-only when
the query was registered so) and answers its reply model or a ``QueryResult`` refusal. Every
committed event lands in ``events``; ``journal`` records commits and removed files in order.

The fake repositories implement what the tested handlers use, with the database's rules that
matter to them (scope by account and visible sites, one task per idea, versions and images going
with their content).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from igny8_ai import AIEngine
from igny8_ai.limits import LimiterRegistry
from igny8_contracts import Envelope, Message, QueryResult
from igny8_contracts.system import AccountAi, GetAccountAi
from igny8_contracts.writer import (
    AuthorProfileView,
    ContentVersionView,
    ContentView,
    TaskRef,
    TaskView,
)
from igny8_devtools.fake_uow import FakeUnitOfWork
from igny8_runtime.handling import HandlerContext
from igny8_runtime.secrets import SecretBox
from igny8_writer.adapters.content_repository import ContentRef
from igny8_writer.adapters.media import ImageFiles
from igny8_writer.app import load
from igny8_writer.domain.articles import GeneratedContent
from igny8_writer.image_settings import WriterImageSettings
from igny8_writer.service_layer.uow import WriterUnitOfWork
from igny8_writer.settings import WriterSettings

service = load()


def _now() -> datetime:
    return datetime.now(UTC)


def _in_scope(row: dict[str, Any], account_id: uuid.UUID,
              visible_site_ids: list[uuid.UUID] | None) -> bool:
    return row["account_id"] == account_id and (
        visible_site_ids is None or row["site_id"] in visible_site_ids)


@dataclass
class Tables:
    tasks: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    content: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    versions: list[dict[str, Any]] = field(default_factory=list)
    images: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    author_profiles: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    events: list[Message] = field(default_factory=list)
    journal: list[str] = field(default_factory=list)


TASK_DEFAULTS: dict[str, Any] = {
    "idea_id": None, "cluster_id": None, "cluster_name": "", "description": "", "keywords": [],
    "word_count": 1200, "status": "queued", "error": "", "operation_id": None}
CONTENT_DEFAULTS: dict[str, Any] = {
    "task_id": None, "cluster_id": None, "keyword_ids": [], "author_profile_id": None,
    "slug": "", "html": "", "excerpt": "", "meta_title": "", "meta_description": "",
    "focus_keyword": "", "categories": [], "tags": [], "language": "en", "word_count": 0,
    "status": "draft", "version": 1, "offline": False, "operation_id": None,
    "external_id": None, "external_url": None, "published_at": None}


class FakeTaskRepository:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def _view(self, row: dict[str, Any]) -> TaskView:
        content_id = next((c["id"] for c in self.tables.content.values()
                           if c["task_id"] == row["id"]), None)
        fields = {k: v for k, v in row.items() if k in TaskView.model_fields}
        return TaskView.model_validate({**fields, "content_id": content_id})

    async def add(self, rows: list[dict[str, Any]]) -> list[uuid.UUID]:
        added = []
        for row in rows:
            taken = row.get("idea_id") is not None and any(
                t["account_id"] == row["account_id"] and t["idea_id"] == row["idea_id"]
                for t in self.tables.tasks.values())
            if not taken:
                self.tables.tasks[row["id"]] = {**TASK_DEFAULTS, **row, "created_at": _now(),
                                                "updated_at": _now()}
                added.append(row["id"])
        return added

    async def get(self, account_id: uuid.UUID, task_id: uuid.UUID,
                  visible_site_ids: list[uuid.UUID] | None = None) -> TaskView | None:
        row = self.tables.tasks.get(task_id)
        return self._view(row) if row and _in_scope(row, account_id, visible_site_ids) else None

    async def many(self, account_id: uuid.UUID, task_ids: list[uuid.UUID],
                   visible_site_ids: list[uuid.UUID] | None = None) -> list[TaskView]:
        found = [await self.get(account_id, i, visible_site_ids) for i in dict.fromkeys(task_ids)]
        return [t for t in found if t is not None]

    async def refs(self, account_id: uuid.UUID, task_ids: list[uuid.UUID],
                   visible_site_ids: list[uuid.UUID] | None = None) -> list[TaskRef]:
        return [TaskRef(id=t.id, site_id=t.site_id, sector_id=t.sector_id,
                        word_count=t.word_count, status=t.status)
                for t in await self.many(account_id, task_ids, visible_site_ids)]

    async def change(self, task_id: uuid.UUID, values: dict[str, Any]) -> None:
        self.tables.tasks[task_id].update(values, updated_at=_now())

    async def set_status(self, account_id: uuid.UUID, task_ids: list[uuid.UUID], status: str,
                         visible_site_ids: list[uuid.UUID] | None = None,
                         **values: Any) -> int:
        rows = [r for i in task_ids if (r := self.tables.tasks.get(i))
                and _in_scope(r, account_id, visible_site_ids)]
        for row in rows:
            row.update(values, status=status, updated_at=_now())
        return len(rows)

    async def delete(self, account_id: uuid.UUID, task_ids: list[uuid.UUID],
                     visible_site_ids: list[uuid.UUID] | None = None) -> int:
        gone = [i for i in task_ids if (r := self.tables.tasks.get(i))
                and _in_scope(r, account_id, visible_site_ids)]
        for task_id in gone:
            del self.tables.tasks[task_id]
            for content in self.tables.content.values():  # ON DELETE SET NULL
                if content["task_id"] == task_id:
                    content["task_id"] = None
        return len(gone)

    async def generation_state(self, account_id: uuid.UUID, task_ids: list[uuid.UUID]
                               ) -> dict[uuid.UUID, tuple[uuid.UUID | None, str, str]]:
        return {i: (r["operation_id"], r["status"], r["error"]) for i in task_ids
                if (r := self.tables.tasks.get(i)) and r["account_id"] == account_id}


class FakeContentRepository:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    async def get(self, account_id: uuid.UUID, content_id: uuid.UUID,
                  visible_site_ids: list[uuid.UUID] | None = None, *,
                  lock: bool = False) -> ContentView | None:
        row = self.tables.content.get(content_id)
        if row is None or not _in_scope(row, account_id, visible_site_ids):
            return None
        return ContentView.model_validate(
            {k: v for k, v in row.items() if k in ContentView.model_fields})

    async def lock_in_scope(self, account_id: uuid.UUID, content_ids: list[uuid.UUID],
                            visible_site_ids: list[uuid.UUID] | None = None
                            ) -> list[uuid.UUID]:
        return sorted(i for i in content_ids if (r := self.tables.content.get(i))
                      and _in_scope(r, account_id, visible_site_ids))

    async def delete_many(self, account_id: uuid.UUID,
                          content_ids: list[uuid.UUID]) -> list[uuid.UUID]:
        gone = await self.lock_in_scope(account_id, content_ids)
        for content_id in gone:  # versions and images go with it (ON DELETE CASCADE)
            del self.tables.content[content_id]
            self.tables.versions[:] = [v for v in self.tables.versions
                                       if v["content_id"] != content_id]
            for image_id in [i for i, r in self.tables.images.items()
                             if r["content_id"] == content_id]:
                del self.tables.images[image_id]
        return gone

    async def of_task(self, task_id: uuid.UUID, *, lock: bool = False) -> ContentRef | None:
        return next((ContentRef(r["id"], r["version"]) for r in self.tables.content.values()
                     if r["task_id"] == task_id), None)

    def _generated(self, generated: GeneratedContent) -> dict[str, Any]:
        return {**asdict(generated.article), "site_id": generated.site_id,
                "sector_id": generated.sector_id, "cluster_id": generated.cluster_id,
                "keyword_ids": [str(k) for k in generated.keyword_ids],
                "focus_keyword": generated.focus_keyword,
                "author_profile_id": generated.author_profile_id, "status": "draft",
                "offline": generated.offline, "operation_id": generated.operation_id}

    async def add_generated(self, content_id: uuid.UUID, generated: GeneratedContent) -> None:
        self.tables.content[content_id] = {
            **CONTENT_DEFAULTS, **self._generated(generated), "id": content_id,
            "account_id": generated.account_id, "task_id": generated.task_id, "version": 1,
            "created_at": _now(), "updated_at": _now()}

    async def replace_generated(self, content_id: uuid.UUID, version: int,
                                generated: GeneratedContent) -> None:
        await self.change(content_id, {**self._generated(generated), "version": version})

    async def change(self, content_id: uuid.UUID, values: dict[str, Any]) -> None:
        self.tables.content[content_id].update(values, updated_at=_now())


class FakeVersionRepository:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    async def add(self, *, content_id: uuid.UUID, account_id: uuid.UUID, version: int,
                  title: str, html: str, source: str, restored_from: int | None = None,
                  created_by: uuid.UUID | None = None) -> None:
        if any(v["content_id"] == content_id and v["version"] == version
               for v in self.tables.versions):
            raise AssertionError(f"version {version} of {content_id} exists (unique)")
        self.tables.versions.append({
            "content_id": content_id, "account_id": account_id, "version": version,
            "title": title, "html": html, "source": source, "restored_from": restored_from,
            "created_by": created_by, "created_at": _now()})

    def _view(self, row: dict[str, Any]) -> ContentVersionView:
        return ContentVersionView.model_validate(
            {k: v for k, v in row.items() if k in ContentVersionView.model_fields})

    async def of_content(self, content_id: uuid.UUID) -> list[ContentVersionView]:
        return sorted((self._view(v) for v in self.tables.versions
                       if v["content_id"] == content_id), key=lambda v: v.version)

    async def get(self, content_id: uuid.UUID, number: int) -> ContentVersionView | None:
        return next((self._view(v) for v in self.tables.versions
                     if v["content_id"] == content_id and v["version"] == number), None)


class FakeImageRepository:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    async def storage_keys_of_content(self, account_id: uuid.UUID,
                                      content_ids: list[uuid.UUID]) -> list[str]:
        return [r["storage_key"] for r in self.tables.images.values()
                if r["account_id"] == account_id and r["content_id"] in content_ids]


class FakeAuthorProfileRepository:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    async def get(self, account_id: uuid.UUID,
                  profile_id: uuid.UUID) -> AuthorProfileView | None:
        row = self.tables.author_profiles.get(profile_id)
        if row is None or row["account_id"] != account_id:
            return None
        return AuthorProfileView.model_validate(
            {k: v for k, v in row.items() if k in AuthorProfileView.model_fields})


class FakeWriterUnitOfWork(FakeUnitOfWork, WriterUnitOfWork):
    def __init__(self, tables: Tables, *, read_only: bool = False) -> None:
        super().__init__("writer", read_only=read_only)
        self.tables = tables
        self.tasks = FakeTaskRepository(tables)
        self.content = FakeContentRepository(tables)
        self.versions = FakeVersionRepository(tables)
        self.images = FakeImageRepository(tables)
        self.author_profiles = FakeAuthorProfileRepository(tables)

    async def commit(self) -> None:
        before = len(self.committed)
        await super().commit()
        self.tables.events.extend(self.committed_events[before:])
        self.tables.journal.append("commit")


class FakeMediaStore:
    """Files in memory; a removal is written in the journal (to see it follows the commit)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.files: dict[str, bytes] = {}

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self.files[key] = data

    async def get(self, key: str) -> bytes:
        return self.files[key]

    async def delete(self, key: str) -> None:
        self.files.pop(key, None)
        self.tables.journal.append(f"removed {key}")


@dataclass(frozen=True)
class FakeContext(HandlerContext):
    """A handler's context without a running service: units of work on the writer's tables,
    the objects the start hooks provide, and answers to ``ask`` from ``answers``."""

    writer: FakeWriter | None = None

    def get(self, kind: type[Any]) -> Any:
        assert self.writer is not None
        return self.writer.provided[kind]

    def new_uow(self, *, read_only: bool = False) -> FakeWriterUnitOfWork:
        assert self.writer is not None
        return FakeWriterUnitOfWork(self.writer.tables, read_only=read_only)

    async def ask(self, query: Any, *, account_id: uuid.UUID | None = None) -> Any:
        assert self.writer is not None
        self.writer.asked.append(query)
        return self.writer.answers[type(query)](query)


class FakeWriter:
    def __init__(self) -> None:
        self.tables = Tables()
        self.media = FakeMediaStore(self.tables)
        self.provided: dict[type, Any] = {
            AIEngine: AIEngine(LimiterRegistry()),
            WriterSettings: WriterSettings(),  # the offline provider by default
            WriterImageSettings: WriterImageSettings(),
            SecretBox: SecretBox([SecretBox.generate_key().encode()]),
            ImageFiles: ImageFiles(self.media),
        }
        # The gateway's answer: the account configured no AI provider (the writer's default).
        self.answers: dict[type, Any] = {
            GetAccountAi: lambda q: AccountAi(account_id=q.account_id, configured=False)}
        self.asked: list[Any] = []

    @property
    def events(self) -> list[Message]:
        return self.tables.events

    @property
    def journal(self) -> list[str]:
        return self.tables.journal

    def context(self, message: Message) -> FakeContext:
        envelope = Envelope.wrap(message, source="igny8/test", correlation_id="test",
                                 account_id=getattr(message, "account_id", None))
        return FakeContext(envelope, None, writer=self)

    async def deliver(self, message: Message) -> None:
        """As the consumer does: the handler in the unit of work that claims the message."""
        [sub] = [s for s in service.subscriptions if s.message_type is type(message)]
        ctx = self.context(message)
        async with FakeWriterUnitOfWork(self.tables) as uow:
            if await uow.claim_message(sub.durable, ctx.envelope):
                await sub.handler(message, uow, ctx)
            await uow.commit()

    async def ask(self, query: Any) -> BaseModel:
        """As the responder does: the handler in a unit of work of its own."""
        [route] = [r for r in service.queries if r.query_type is type(query)]
        async with FakeWriterUnitOfWork(self.tables, read_only=route.read_only) as uow:
            answer = await route.handler(query, uow, self.context(query))
        assert isinstance(answer, QueryResult | route.query_type.reply), answer
        return answer

    # -- rows a test starts from -----------------------------------------------------------

    def add_task(self, account_id: uuid.UUID, site_id: uuid.UUID, **values: Any) -> uuid.UUID:
        task_id = uuid.uuid4()
        self.tables.tasks[task_id] = {
            **TASK_DEFAULTS, "id": task_id, "account_id": account_id, "site_id": site_id,
            "sector_id": uuid.uuid4(), "title": "Trail shoes", "content_structure":
            "supporting_page", "content_type": "blog_post", "created_at": _now(),
            "updated_at": _now(), **values}
        return task_id

    def add_content(self, account_id: uuid.UUID, site_id: uuid.UUID, *, title: str,
                    html: str, **values: Any) -> uuid.UUID:
        """An article at version 1 (its one version ``generated``)."""
        content_id = uuid.uuid4()
        self.tables.content[content_id] = {
            **CONTENT_DEFAULTS, "id": content_id, "account_id": account_id,
            "site_id": site_id, "sector_id": uuid.uuid4(), "title": title, "html": html,
            "created_at": _now(), "updated_at": _now(), **values}
        self.tables.versions.append({
            "content_id": content_id, "account_id": account_id, "version": 1, "title": title,
            "html": html, "source": "generated", "restored_from": None, "created_by": None,
            "created_at": _now()})
        return content_id

    def events_of(self, kind: type[Message]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]
