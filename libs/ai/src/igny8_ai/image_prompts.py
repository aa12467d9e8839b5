"""Extracting image prompts from an article: one featured image and ``in_article_count``
in-article images, each with alt text, a caption and (in-article) the h2 it follows.

The answer is shaped before it is saved: exactly the requested number of in-article prompts
(extra ones dropped; too few is an unusable answer, asked again), placements resolved to the
index of an h2 the article really has (by exact text, then by position, else spread evenly,
each heading used once while there are enough), empty alt text or captions derived.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from igny8_ai.functions_base import AIFunction, InvalidAnswer, InvalidRequest
from igny8_ai.schemas import ImagePromptItem, ImagePromptsAnswer, InArticleImagePrompt
from igny8_contracts.text import clip

ResultT = TypeVar("ResultT")
MAX_IN_ARTICLE = 10
MAX_PROMPT_ARTICLE_CHARS = 12_000  # the article as sent in the prompt (headings go separately)
ALT_TEXT_LIMIT = 125


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self._inside = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._inside, self._text = True, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._inside:
            self._inside = False
            self.headings.append(" ".join("".join(self._text).split()))

    def handle_data(self, data: str) -> None:
        if self._inside:
            self._text.append(data)


def article_headings(html: str) -> list[str]:
    """The text of the article's h2 headings, in order."""
    parser = _Headings()
    parser.feed(html)
    parser.close()
    return parser.headings


class ImagePromptsRequest(BaseModel):
    title: str = ""
    html: str
    in_article_count: int = Field(default=2, ge=0, le=MAX_IN_ARTICLE)


@dataclass(frozen=True)
class PlannedImage:
    role: str  # "featured" or "in_article"
    position: int  # 0 for the featured image, 1.. for in-article images in article order
    prompt: str
    alt_text: str
    caption: str
    heading_index: int | None  # the h2 (0-based) an in-article image follows; None: the end


@dataclass(frozen=True)
class ImagePlan:
    featured: PlannedImage
    in_article: list[PlannedImage]

    @property
    def images(self) -> list[PlannedImage]:
        return [self.featured, *self.in_article]


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _alt(item: ImagePromptItem, fallback_subject: str) -> str:
    text = item.alt_text.strip() or f"Illustration: {fallback_subject or item.prompt}"
    return clip(text, ALT_TEXT_LIMIT)  # at a word boundary, never mid-word


def _placements(items: list[InArticleImagePrompt], headings: list[str]) -> list[int | None]:
    """An h2 index per item: its named heading, else its position, else spread evenly; a
    heading is reused only when there are more images than headings."""
    if not headings:
        return [None] * len(items)
    by_text = {_normalise(h): i for i, h in reversed(list(enumerate(headings)))}
    chosen: list[int | None] = []
    used: set[int] = set()
    for item in items:
        index = by_text.get(_normalise(item.after_heading)) if item.after_heading else None
        if index is None and item.position is not None and 1 <= item.position <= len(headings):
            index = item.position - 1
        if index is not None and index in used and len(used) < len(headings):
            index = None
        chosen.append(index)
        if index is not None:
            used.add(index)
    free = [i for i in range(len(headings)) if i not in used] or list(range(len(headings)))
    unplaced = [n for n, index in enumerate(chosen) if index is None]
    for rank, n in enumerate(unplaced):
        chosen[n] = free[(rank * len(free)) // max(1, len(unplaced))]
    return chosen


def plan_images(answer: ImagePromptsAnswer, request: ImagePromptsRequest) -> ImagePlan:
    """The answer shaped for saving (see the module's docstring); ``InvalidAnswer`` if it
    has fewer in-article prompts than asked for."""
    wanted = request.in_article_count
    if len(answer.in_article) < wanted:
        raise InvalidAnswer(f"gave {len(answer.in_article)} in-article prompt(s), {wanted} asked for")
    headings = article_headings(request.html)
    items = answer.in_article[:wanted]
    placements = _placements(items, headings)
    # Images appear in the article in heading order; positions number them that way.
    order = sorted(range(len(items)), key=lambda n: (
        placements[n] if placements[n] is not None else len(headings), n))
    in_article = []
    for position, n in enumerate(order, start=1):
        item, index = items[n], placements[n]
        subject = headings[index] if index is not None else request.title
        in_article.append(PlannedImage(
            "in_article", position, item.prompt, _alt(item, subject),
            (item.caption.strip() or subject)[:500], index))
    featured = answer.featured
    return ImagePlan(
        PlannedImage("featured", 0, featured.prompt, _alt(featured, request.title),
                     (featured.caption.strip() or request.title)[:500], None),
        in_article)


class ExtractImagePrompts(AIFunction[ImagePromptsRequest, ImagePromptsAnswer, ResultT],
                          Generic[ResultT]):
    name = "extract_image_prompts"
    prompt_key = "extract_image_prompts"
    answer_model = ImagePromptsAnswer
    max_tokens = 2500

    def validate(self, request: ImagePromptsRequest) -> None:
        if not request.html.strip():
            raise InvalidRequest("the article has no content to illustrate")

    def prepare(self, request: ImagePromptsRequest) -> dict[str, str]:
        return {
            "content": request.html[:MAX_PROMPT_ARTICLE_CHARS],
            "title": request.title,
            "headings": json.dumps(article_headings(request.html)),
            "image_count": str(request.in_article_count),
        }

    def parse(self, answer: ImagePromptsAnswer, request: ImagePromptsRequest) -> ImagePromptsAnswer:
        plan_images(answer, request)  # raises InvalidAnswer when unusable
        return answer
