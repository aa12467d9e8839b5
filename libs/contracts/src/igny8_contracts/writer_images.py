"""Writer's image contracts: generating an article's images (image prompts extracted from the
article, then one featured and N in-article images), listing and reading them, regenerating
one, and the event that says they were made.

Image bytes never travel in a message: the writer stores them in the media store
(``igny8_runtime.media``) under ``storage_key`` (``<account_id>/<image_id>.png``) and the
gateway serves them at ``image_src(image_id)``, the exact ``src`` the article's HTML uses.
Scope rules as in ``igny8_contracts.writer``: ``visible_site_ids`` ``None`` is every site of
the account; anything outside the caller's scope is 404.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from igny8_contracts import pricing
from igny8_contracts.messages import Command, Event, Query

ImageRole = Literal["featured", "in_article"]
ImageOrdering = Literal["created_at", "-created_at", "position", "-position"]
MAX_IMAGE_TASKS = 100
MAX_IN_ARTICLE_IMAGES = 10
DEFAULT_IN_ARTICLE_IMAGES = 2
# billing's price table: image prompts (per started pair) and images (per image).
PROMPTS_BILLING_OPERATION = pricing.IMAGE_PROMPTS
IMAGES_BILLING_OPERATION = pricing.IMAGES


def image_src(image_id: uuid.UUID) -> str:
    """Where the gateway serves an image: the ``src`` written into the article's HTML."""
    return f"/api/v1/writer/images/{image_id}/file"


def image_reservation_keys(operation_id: uuid.UUID, task_id: uuid.UUID) -> tuple[str, str]:
    """The reservation keys of one task's image prompts and of its images."""
    return f"{operation_id}:{task_id}:prompts", f"{operation_id}:{task_id}:images"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------------ commands


class ImageTaskReservation(_Data):
    """One task whose article gets images, and the credits held for it: ``prompts_key`` for at
    most ``max_images`` image prompts, ``images_key`` for at most ``max_images`` images."""

    task_id: uuid.UUID
    prompts_key: str = Field(min_length=1, max_length=200)
    images_key: str = Field(min_length=1, max_length=200)
    max_images: int = Field(ge=1, le=MAX_IN_ARTICLE_IMAGES + 1)


class GenerateImages(Command):
    """Extract image prompts from each task's article and generate its images (one featured,
    ``in_article_count`` in the article after the h2 they illustrate). A task's earlier images
    are replaced. Each task settles its own reservations (a failed part is not charged).
    Progress and the per-task outcome arrive as WriterOperationUpdated events."""

    subject_base = "cmd.writer.images.generate"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    tasks: list[ImageTaskReservation] = Field(min_length=1, max_length=MAX_IMAGE_TASKS)
    in_article_count: int = Field(default=DEFAULT_IN_ARTICLE_IMAGES, ge=0,
                                  le=MAX_IN_ARTICLE_IMAGES)


class RegenerateImage(Command):
    """Generate new bytes for one image (same row, same ``src``), from its prompt or from
    ``prompt`` when given (which then becomes its prompt)."""

    subject_base = "cmd.writer.images.regenerate"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    image_id: uuid.UUID
    reservation_key: str = Field(min_length=1, max_length=200)
    prompt: str | None = Field(default=None, min_length=1, max_length=3000)


# ------------------------------------------------------------------------------ events


class ImagesGenerated(Event):
    subject_base = "evt.writer.images.generated"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    task_id: uuid.UUID
    content_id: uuid.UUID | None
    image_ids: list[uuid.UUID]
    offline: bool


class ImageRegenerated(Event):
    subject_base = "evt.writer.images.regenerated"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    image_id: uuid.UUID
    task_id: uuid.UUID | None
    content_id: uuid.UUID | None
    offline: bool


# ------------------------------------------------------------------------------ queries


class ImageView(_Data):
    id: uuid.UUID
    task_id: uuid.UUID | None
    content_id: uuid.UUID | None
    site_id: uuid.UUID
    sector_id: uuid.UUID
    role: ImageRole
    position: int
    prompt: str
    alt_text: str
    caption: str
    # The h2 (0-based) an in-article image follows; None: the featured image or the end.
    heading_index: int | None
    storage_key: str
    mime_type: str
    src: str
    size_bytes: int
    checksum: str
    provider: str
    model: str
    offline: bool
    created_at: datetime
    updated_at: datetime


class ImagePage(_Data):
    results: list[ImageView]
    count: int


class ImageFilters(_Data):
    visible_site_ids: list[uuid.UUID] | None = None
    site_id: uuid.UUID | None = None
    sector_id: uuid.UUID | None = None
    task_id: uuid.UUID | None = None
    content_id: uuid.UUID | None = None
    role: ImageRole | None = None


class ListImages(Query[ImagePage]):
    subject_base = "qry.writer.images.list"
    account_id: uuid.UUID
    filters: ImageFilters = Field(default_factory=ImageFilters)
    ordering: ImageOrdering = "-created_at"
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=500)


class GetImage(Query[ImageView]):
    subject_base = "qry.writer.images.get"
    account_id: uuid.UUID
    image_id: uuid.UUID
    visible_site_ids: list[uuid.UUID] | None = None


class ImageTaskRef(_Data):
    task_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    content_id: uuid.UUID | None  # None: the task has no article yet (nothing to illustrate)


class ImageTaskRefs(_Data):
    tasks: list[ImageTaskRef]


class FindImageTasks(Query[ImageTaskRefs]):
    """The tasks among ``task_ids`` in the caller's scope, with their article if they have
    one (the gateway answers 404 for a missing task and 400 for one without an article
    before it reserves credits)."""

    subject_base = "qry.writer.image_tasks.find"
    account_id: uuid.UUID
    task_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_IMAGE_TASKS)
    visible_site_ids: list[uuid.UUID] | None = None
