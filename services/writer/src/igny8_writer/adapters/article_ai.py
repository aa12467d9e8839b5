"""The article-writing AI function run through the shared engine (``igny8_ai.AIEngine``).

The engine asks again when an answer is cut off, not JSON, the wrong shape, or fails the
checks of ``domain.articles`` (run on the sanitised HTML); when no answer passes, the task
fails and nothing is saved.
"""

from __future__ import annotations

import json
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from igny8_ai import AIFunction, InvalidAnswer
from igny8_writer.domain.articles import Article, article_problems, shape_article

ResultT = TypeVar("ResultT")
PROMPT_KEY = "generate_content"
MAX_COMPLETION_TOKENS = 16_000


class ArticleRequest(BaseModel):
    """Everything the prompt says about the article to write."""

    title: str
    description: str = ""
    primary_keyword: str = ""
    keywords: list[str] = Field(default_factory=list)
    cluster: str = ""
    content_type: str = "blog_post"
    content_structure: str = "supporting_page"
    word_count: int = 1200
    tone: str = "professional"
    language: str = "en"
    author: str = ""
    structure_template: dict[str, Any] = Field(default_factory=dict)


class ArticleAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=500)
    html: str = Field(min_length=1)
    slug: str = ""
    excerpt: str = ""
    meta_title: str = ""
    meta_description: str = ""
    categories: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    language: str = ""


class WriteArticle(AIFunction[ArticleRequest, ArticleAnswer, ResultT], Generic[ResultT]):
    name = "generate_content"
    prompt_key = PROMPT_KEY
    answer_model = ArticleAnswer
    temperature = 0.7

    def prepare(self, request: ArticleRequest) -> dict[str, str]:
        # Room for the article's words as tokens, its HTML and the JSON around it, within
        # what current models answer at most in one completion.
        self.max_tokens = min(MAX_COMPLETION_TOKENS, max(2000, request.word_count * 3))
        structure = request.content_structure.replace("_", " ")
        if request.structure_template:
            structure += f"; the author's template: {json.dumps(request.structure_template)}"
        idea = {"title": request.title, "description": request.description,
                "target_keywords": request.keywords, "primary_keyword": request.primary_keyword,
                "cluster": request.cluster}
        return {"idea": json.dumps(idea, ensure_ascii=False),
                "primary_keyword": request.primary_keyword,
                "content_type": request.content_type.replace("_", " "),
                "structure": structure, "word_count": str(request.word_count),
                "tone": request.tone, "language": request.language,
                "author": request.author or "a knowledgeable staff writer"}

    def parse(self, answer: ArticleAnswer, request: ArticleRequest) -> ArticleAnswer:
        article = shape(answer, request)
        problems = article_problems(article.title, article.html, request.primary_keyword)
        if problems:
            raise InvalidAnswer("failed the article checks: " + "; ".join(problems))
        return answer


def shape(answer: ArticleAnswer, request: ArticleRequest) -> Article:
    """The stored form of an answer (sanitised, bounded), in the language that was asked."""
    return shape_article(title=answer.title, html=answer.html, slug=answer.slug,
                         excerpt=answer.excerpt, meta_title=answer.meta_title,
                         meta_description=answer.meta_description,
                         categories=answer.categories, tags=answer.tags,
                         language=request.language)
