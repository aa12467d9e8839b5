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


class ImagePromptItem(_Answer):
    prompt: str = Field(min_length=1, max_length=3000)
    # What the image shows and why it is there (read aloud by screen readers); the caption
    # is shown under it. An empty one is derived from the prompt when the answer is shaped.
    alt_text: str = Field(default="", max_length=500)
    caption: str = Field(default="", max_length=500)


class InArticleImagePrompt(ImagePromptItem):
    # Placement: after the h2 with this text (as written in the article), else ``position``
    # (the 1-based index of the h2 it follows), else spread evenly.
    after_heading: str = ""
    position: int | None = Field(default=None, ge=0)


class ImagePromptsAnswer(_Answer):
    featured: ImagePromptItem
    in_article: list[InArticleImagePrompt] = Field(default_factory=list)
