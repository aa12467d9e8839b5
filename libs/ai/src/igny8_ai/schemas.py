"""The structured answers the system prompts ask for; every answer is validated against one."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class ClusterItem(_Answer):
    name: str = Field(min_length=1, max_length=255)
    description: str = ""
    keywords: list[str] = Field(min_length=1)


class ClusteringAnswer(_Answer):
    clusters: list[ClusterItem] = Field(min_length=1)


class IdeaItem(_Answer):
    cluster: str = Field(min_length=1)
    title: str = Field(min_length=1, max_length=255)
    description: str = ""
    target_keywords: list[str] = Field(default_factory=list)


class IdeasAnswer(_Answer):
    ideas: list[IdeaItem] = Field(min_length=1)


class ContentAnswer(_Answer):
    title: str = Field(min_length=1, max_length=255)
    meta_description: str = ""
    html: str = Field(min_length=1)


class ImagePromptsAnswer(_Answer):
    featured: str = Field(min_length=1)
    in_article: list[str] = Field(default_factory=list)
