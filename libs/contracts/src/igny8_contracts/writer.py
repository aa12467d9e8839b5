"""Writer's contracts: tasks, author profiles, article generation, content with its versions
and review workflow, and what the publisher asks for.

Like the planner, the gateway checks site/sector ownership and visibility first and passes the
sites the caller may see as ``visible_site_ids`` (``None``: every site of the account); the
writer filters every read and write by ``account_id`` and that scope (outside it: 404).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from igny8_contracts.messages import Command, Event, Query, Request

ContentStatus = Literal["draft", "review", "approved", "published", "scheduled", "archived"]
# The seeds' task statuses (queued → in_progress → completed; draft/review/published follow
# the task's content) plus ``failed``: its last generation failed (the reason in ``error``).
TaskStatus = Literal["queued", "in_progress", "draft", "review", "published", "completed",
                     "failed", "cancelled"]
TaskStructure = Literal["cluster_hub", "landing_page", "pillar_page", "supporting_page"]
TaskContentType = Literal["blog_post", "article", "guide", "tutorial", "page", "product",
                          "service"]
TaskOrdering = Literal["created_at", "-created_at", "updated_at", "-updated_at", "title",
                       "-title", "status", "-status", "word_count", "-word_count"]
TaskField = Literal["title", "description", "keywords", "content_structure", "content_type",
                    "word_count", "status", "cluster_id"]
ContentOrdering = Literal["created_at", "-created_at", "updated_at", "-updated_at", "title",
                          "-title"]

MAX_BULK = 1000
MAX_GENERATE = 100
MAX_TITLE_LENGTH = 255
MAX_DESCRIPTION_LENGTH = 5000
MAX_WORD_COUNT = 20_000
MAX_HTML_LENGTH = 1_000_000
# BCP-47 language tag, e.g. "en", "en-GB", "pt-BR", "zh-Hant".
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------------ tasks


class TaskKeyword(_Data):
    """A keyword the task targets (``id``: the planner's keyword, when known)."""

    id: uuid.UUID | None = None
    keyword: str = Field(min_length=1, max_length=255)


class TaskView(_Data):
    id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    idea_id: uuid.UUID | None
    cluster_id: uuid.UUID | None
    cluster_name: str
    title: str
    description: str
    keywords: list[TaskKeyword]
    content_structure: TaskStructure
    content_type: TaskContentType
    word_count: int
    status: TaskStatus
    error: str
    content_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class TaskFilters(_Data):
    visible_site_ids: list[uuid.UUID] | None = None
    site_id: uuid.UUID | None = None
    sector_id: uuid.UUID | None = None
    idea_id: uuid.UUID | None = None
    cluster_id: uuid.UUID | None = None
    status: TaskStatus | None = None
    content_type: TaskContentType | None = None
    search: str | None = Field(default=None, max_length=255)


class TaskPage(_Data):
    results: list[TaskView]
    count: int


class ListTasks(Query[TaskPage]):
    subject_base = "qry.writer.tasks.list"
    account_id: uuid.UUID
    filters: TaskFilters
    ordering: TaskOrdering = "-created_at"
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=500)


class GetTask(Query[TaskView]):
    subject_base = "qry.writer.tasks.get"
    account_id: uuid.UUID
    task_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class NewTask(_Data):
    """A task written by hand (the gateway checked the site and sector)."""

    site_id: uuid.UUID
    sector_id: uuid.UUID
    title: str = Field(min_length=1, max_length=MAX_TITLE_LENGTH)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    keywords: list[str] = Field(default_factory=list, max_length=50)
    cluster_id: uuid.UUID | None = None
    content_structure: TaskStructure = "supporting_page"
    content_type: TaskContentType = "blog_post"
    word_count: int = Field(default=1200, ge=100, le=MAX_WORD_COUNT)
    status: TaskStatus = "queued"


class CreateTask(Request[TaskView]):
    subject_base = "req.writer.tasks.create"
    account_id: uuid.UUID
    task: NewTask


class TaskChanges(_Data):
    """The new values of ``fields`` (keywords are texts)."""

    fields: list[TaskField] = Field(min_length=1)
    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    keywords: list[str] | None = Field(default=None, max_length=50)
    content_structure: TaskStructure | None = None
    content_type: TaskContentType | None = None
    word_count: int | None = Field(default=None, ge=100, le=MAX_WORD_COUNT)
    status: TaskStatus | None = None
    cluster_id: uuid.UUID | None = None


class UpdateTask(Request[TaskView]):
    subject_base = "req.writer.tasks.update"
    account_id: uuid.UUID
    task_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    changes: TaskChanges


class AffectedTasks(_Data):
    count: int


class DeleteTasks(Request[AffectedTasks]):
    subject_base = "req.writer.tasks.delete"
    account_id: uuid.UUID
    task_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    visible_site_ids: list[uuid.UUID] | None = None


class SetTaskStatus(Request[AffectedTasks]):
    subject_base = "req.writer.tasks.set_status"
    account_id: uuid.UUID
    task_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    visible_site_ids: list[uuid.UUID] | None = None
    status: TaskStatus


class TaskRef(_Data):
    id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    word_count: int
    status: TaskStatus


class TaskRefs(_Data):
    tasks: list[TaskRef]


class FindTasks(Query[TaskRefs]):
    """The tasks among ``task_ids`` in the caller's scope (the gateway answers 404 when one is
    missing, before it reserves credits for generating their articles)."""

    subject_base = "qry.writer.tasks.find"
    account_id: uuid.UUID
    task_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_GENERATE)
    visible_site_ids: list[uuid.UUID] | None = None


# ------------------------------------------------------------------------------ author profiles


class AuthorProfileView(_Data):
    id: uuid.UUID
    name: str
    description: str
    tone: str
    language: str
    structure_template: dict[str, Any]
    is_active: bool
    created_at: datetime
    updated_at: datetime


class AuthorProfilePage(_Data):
    results: list[AuthorProfileView]
    count: int


class ListAuthorProfiles(Query[AuthorProfilePage]):
    subject_base = "qry.writer.author_profiles.list"
    account_id: uuid.UUID
    is_active: bool | None = None
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=100)


class GetAuthorProfile(Query[AuthorProfileView]):
    subject_base = "qry.writer.author_profiles.get"
    account_id: uuid.UUID
    profile_id: uuid.UUID


class NewAuthorProfile(_Data):
    name: str = Field(min_length=1, max_length=255)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    tone: str = Field(default="professional", min_length=1, max_length=100)
    language: str = Field(default="en", max_length=35, pattern=LANGUAGE_PATTERN)
    structure_template: dict[str, Any] = Field(default_factory=dict)
    is_active: bool = True


class CreateAuthorProfile(Request[AuthorProfileView]):
    subject_base = "req.writer.author_profiles.create"
    account_id: uuid.UUID
    profile: NewAuthorProfile


class AuthorProfileChanges(_Data):
    fields: list[Literal["name", "description", "tone", "language", "structure_template",
                         "is_active"]] = Field(min_length=1)
    name: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    tone: str | None = Field(default=None, min_length=1, max_length=100)
    language: str | None = Field(default=None, max_length=35, pattern=LANGUAGE_PATTERN)
    structure_template: dict[str, Any] | None = None
    is_active: bool | None = None


class UpdateAuthorProfile(Request[AuthorProfileView]):
    subject_base = "req.writer.author_profiles.update"
    account_id: uuid.UUID
    profile_id: uuid.UUID
    changes: AuthorProfileChanges


class DeleteAuthorProfile(Request[AffectedTasks]):
    subject_base = "req.writer.author_profiles.delete"
    account_id: uuid.UUID
    profile_id: uuid.UUID


# ------------------------------------------------------------------------------ generation


class TaskReservation(_Data):
    """One task to write, and the credits held for it: ``reservation_key`` holds at most
    ``max_words`` words of content (the usage reported never exceeds it)."""

    task_id: uuid.UUID
    reservation_key: str = Field(min_length=1, max_length=200)
    max_words: int = Field(ge=1)


class GenerateContent(Command):
    """Write one article per task with the AI engine. Each task's credits were reserved under
    its own key; its usage event settles them (a failed task is not charged). Progress and
    the per-task outcome arrive as WriterOperationUpdated events of ``operation_id``."""

    subject_base = "cmd.writer.content.generate"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    tasks: list[TaskReservation] = Field(min_length=1, max_length=MAX_GENERATE)
    author_profile_id: uuid.UUID | None = None


class ContentGenerated(Event):
    subject_base = "evt.writer.content.generated"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    task_id: uuid.UUID
    content_id: uuid.UUID
    word_count: int
    offline: bool


class ContentGeneratedV2(Event):
    """An article was written for a task (v2 adds ``idea_id``: the planner's idea the task was
    created from, None for a task made by hand; the planner marks that idea completed). The
    writer emits v2 only: v1 lacked the idea and had no subscriber."""

    subject_base = "evt.writer.content.generated"
    version = 2
    operation_id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    task_id: uuid.UUID
    idea_id: uuid.UUID | None
    content_id: uuid.UUID
    word_count: int
    offline: bool


class ContentApproved(Event):
    subject_base = "evt.writer.content.approved"
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    task_id: uuid.UUID | None
    content_id: uuid.UUID


class ContentStatusChanged(Event):
    subject_base = "evt.writer.content.status_changed"
    account_id: uuid.UUID
    site_id: uuid.UUID
    content_id: uuid.UUID
    status: ContentStatus
    previous: ContentStatus


# ------------------------------------------------------------------------------ content


class ContentView(_Data):
    id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    task_id: uuid.UUID | None
    cluster_id: uuid.UUID | None
    author_profile_id: uuid.UUID | None
    title: str
    slug: str
    html: str
    excerpt: str
    meta_title: str
    meta_description: str
    focus_keyword: str
    categories: list[str]
    tags: list[str]
    language: str
    word_count: int
    status: ContentStatus
    version: int
    offline: bool
    external_id: str | None
    external_url: str | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ContentFilters(_Data):
    visible_site_ids: list[uuid.UUID] | None = None
    site_id: uuid.UUID | None = None
    sector_id: uuid.UUID | None = None
    task_id: uuid.UUID | None = None
    status: ContentStatus | None = None
    search: str | None = Field(default=None, max_length=255)


class ContentPage(_Data):
    results: list[ContentView]
    count: int


class ListContent(Query[ContentPage]):
    subject_base = "qry.writer.content.list"
    account_id: uuid.UUID
    filters: ContentFilters
    ordering: ContentOrdering = "-created_at"
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=100)


class GetContent(Query[ContentView]):
    subject_base = "qry.writer.content.get"
    account_id: uuid.UUID
    content_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class EditContent(Request[ContentView]):
    """Change the title and/or HTML (sanitised before it is stored); a new version."""

    subject_base = "req.writer.content.edit"
    account_id: uuid.UUID
    content_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None
    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE_LENGTH)
    html: str | None = Field(default=None, min_length=1, max_length=MAX_HTML_LENGTH)
    edited_by: uuid.UUID | None = None


class DeletedContent(_Data):
    count: int


class DeleteContent(Request[DeletedContent]):
    """Delete the articles of the caller's scope among ``content_ids``, with their versions and
    images (the images' files too, once the rows are gone). Their tasks stay."""

    subject_base = "req.writer.content.delete"
    account_id: uuid.UUID
    content_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    visible_site_ids: list[uuid.UUID] | None = None


class ContentVersionView(_Data):
    version: int
    title: str
    html: str
    source: Literal["generated", "edited", "restored"]
    restored_from: int | None
    created_by: uuid.UUID | None
    created_at: datetime


class ContentVersionList(_Data):
    content_id: uuid.UUID
    current_version: int
    versions: list[ContentVersionView]


class ListContentVersions(Query[ContentVersionList]):
    subject_base = "qry.writer.content.versions.list"
    account_id: uuid.UUID
    content_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class ContentDiff(_Data):
    content_id: uuid.UUID
    from_version: int
    to_version: int
    title_changed: bool
    diff: str  # unified diff of the HTML (one tag or text run per line)


class DiffContentVersions(Query[ContentDiff]):
    subject_base = "qry.writer.content.versions.diff"
    account_id: uuid.UUID
    content_id: uuid.UUID
    from_version: int = Field(ge=1)
    to_version: int = Field(ge=1)
    visible_site_ids: list[uuid.UUID] | None = None


class RestoreContentVersion(Request[ContentView]):
    """Make an earlier version current again (as a new version)."""

    subject_base = "req.writer.content.versions.restore"
    account_id: uuid.UUID
    content_id: uuid.UUID
    restore_version: int = Field(ge=1)
    visible_site_ids: list[uuid.UUID] | None = None
    restored_by: uuid.UUID | None = None


class ChangeContentStatus(Request[ContentView]):
    """Move content along the review workflow: draft → review → approved (ContentApproved);
    back to draft, or archived. ``published``/``scheduled`` come only from the publisher.
    A move the workflow does not allow answers 409."""

    subject_base = "req.writer.content.status.change"
    account_id: uuid.UUID
    content_id: uuid.UUID
    status: Literal["draft", "review", "approved", "archived"]
    visible_site_ids: list[uuid.UUID] | None = None


# ------------------------------------------------------------------------------ publishing


class PublishableImage(_Data):
    image_id: uuid.UUID
    role: Literal["featured", "in_article"]
    position: int
    storage_key: str
    src: str
    alt_text: str
    caption: str
    mime_type: str


class PublishableContent(_Data):
    content_id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    task_id: uuid.UUID | None
    cluster_id: uuid.UUID | None
    keyword_ids: list[uuid.UUID]
    title: str
    slug: str
    html: str
    excerpt: str
    meta_title: str
    meta_description: str
    focus_keyword: str
    categories: list[str]
    tags: list[str]
    status: ContentStatus
    version: int
    images: list[PublishableImage]


class GetPublishableContent(Query[PublishableContent]):
    """What the publisher sends to WordPress (404 if the content is not the account's)."""

    subject_base = "qry.writer.content.publishable.get"
    account_id: uuid.UUID
    content_id: uuid.UUID
