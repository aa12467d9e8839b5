"""The writer's unit of work: one transaction, and the repositories that work in it."""

from __future__ import annotations

from igny8_runtime.uow import UnitOfWork
from igny8_writer.adapters.author_profile_repository import AuthorProfileRepository
from igny8_writer.adapters.content_repository import ContentRepository
from igny8_writer.adapters.image_repository import ImageRepository
from igny8_writer.adapters.task_repository import TaskRepository
from igny8_writer.adapters.version_repository import VersionRepository


class WriterUnitOfWork(UnitOfWork):
    tasks: TaskRepository
    content: ContentRepository
    versions: VersionRepository
    images: ImageRepository
    author_profiles: AuthorProfileRepository

    async def __aenter__(self) -> WriterUnitOfWork:
        await super().__aenter__()
        self.tasks = TaskRepository(self.session)
        self.content = ContentRepository(self.session)
        self.versions = VersionRepository(self.session)
        self.images = ImageRepository(self.session)
        self.author_profiles = AuthorProfileRepository(self.session)
        return self
