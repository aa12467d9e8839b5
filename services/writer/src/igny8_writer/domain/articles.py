"""What makes a generated article usable, and how it is shaped before it is stored. Pure.

``article_problems`` lists why an answer cannot be saved (the engine then asks again, and a
task whose answers never pass fails): cut off, the primary keyword missing from the title or
the opening paragraph, headings out of order or empty. ``shape_article`` fills in and bounds
the rest (slug, excerpt, meta title ≤ 60, meta description ≤ 160, categories, tags).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final

from igny8_contracts.text import clip
from igny8_writer.domain.html import html_text, sanitize_html, word_count

META_TITLE_MAX: Final = 60
META_DESCRIPTION_MAX: Final = 160
EXCERPT_MAX: Final = 300
SLUG_MAX: Final = 100
MAX_TERMS: Final = 10
TERM_MAX: Final = 60

_VOID = frozenset({"br", "hr", "img"})
# Sentence ends, in Latin and CJK scripts, and closing quotes/brackets after them.
_SENTENCE_END = re.compile("[.!?\u2026\u3002\uff01\uff1f:;)\"'\u00bb\u201d\u2019]$")


class _Structure(HTMLParser):
    """Collects the headings (level, text) and the tags left open at the end."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.first_paragraph: str | None = None
        self._heading_text: list[str] | None = None
        self._paragraph_text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self.open.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading_text = []
        elif tag == "p" and self.first_paragraph is None:
            self._paragraph_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass
        if re.fullmatch(r"h[1-6]", tag) and self._heading_text is not None:
            self.headings.append((int(tag[1]), " ".join("".join(self._heading_text).split())))
            self._heading_text = None
        elif tag == "p" and self._paragraph_text is not None:
            self.first_paragraph = " ".join("".join(self._paragraph_text).split())
            self._paragraph_text = None

    def handle_data(self, data: str) -> None:
        if self._heading_text is not None:
            self._heading_text.append(data)
        if self._paragraph_text is not None:
            self._paragraph_text.append(data)


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def contains_keyword(text: str, keyword: str) -> bool:
    return _folded(keyword) in _folded(text)


def article_problems(title: str, html: str, primary_keyword: str) -> list[str]:
    """Why this (sanitised) article cannot be saved; empty when it can."""
    problems: list[str] = []
    parser = _Structure()
    parser.feed(html)
    parser.close()
    text = html_text(html)
    if parser.open or not text or not _SENTENCE_END.search(text):
        problems.append("the article is cut off (unclosed elements or an unfinished sentence)")
    keyword = primary_keyword.strip()
    if keyword and not contains_keyword(title, keyword):
        problems.append(f"the title does not contain the primary keyword '{keyword}'")
    if parser.first_paragraph is None:
        problems.append("the article has no opening paragraph")
    elif keyword and not contains_keyword(parser.first_paragraph, keyword):
        problems.append(f"the opening paragraph does not contain the primary keyword '{keyword}'")
    problems.extend(heading_problems(parser.headings))
    return problems


def heading_problems(headings: list[tuple[int, str]]) -> list[str]:
    """h2 sections with h3 (and deeper) under them: no h1 in the body (the title is the h1),
    the first heading an h2, never a level skipped on the way down, none empty."""
    problems: list[str] = []
    if not headings:
        return ["the article has no h2 section headings"]
    if any(level == 1 for level, _ in headings):
        problems.append("the body uses h1 (the title is the page's only h1)")
    if headings[0][0] != 2:
        problems.append(f"the first heading is an h{headings[0][0]}, not an h2")
    previous = 2
    for level, _ in headings:
        if level > previous + 1:
            problems.append(f"an h{level} follows an h{previous} (a level is skipped)")
            break
        previous = level
    if any(not text for _, text in headings):
        problems.append("an empty heading")
    return problems


def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """Lower-case words joined by hyphens; letters of any script stay, accents on Latin go."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[^\w]+", "-", stripped.casefold()).strip("-_")
    slug = re.sub(r"[-_]+", "-", slug)
    return slug[:max_length].rstrip("-") or "article"


def _terms(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        term = clip(str(value), TERM_MAX)
        if term and _folded(term) not in seen:
            seen[_folded(term)] = term
    return list(seen.values())[:MAX_TERMS]


@dataclass(frozen=True)
class Article:
    title: str
    slug: str
    html: str
    excerpt: str
    meta_title: str
    meta_description: str
    categories: list[str]
    tags: list[str]
    language: str
    word_count: int


@dataclass(frozen=True)
class GeneratedContent:
    """A task's generated article as its content keeps it: where it belongs (the task's site,
    sector, cluster and keywords), the author it was written as, and which operation wrote it
    (``offline``: with the offline provider, a placeholder)."""

    account_id: uuid.UUID
    task_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    cluster_id: uuid.UUID | None
    keyword_ids: list[uuid.UUID]
    focus_keyword: str
    author_profile_id: uuid.UUID | None
    article: Article
    offline: bool
    operation_id: uuid.UUID


def shape_article(*, title: str, html: str, slug: str, excerpt: str, meta_title: str,
                  meta_description: str, categories: list[str], tags: list[str],
                  language: str) -> Article:
    """The article as stored: sanitised HTML, bounded meta fields, derived fallbacks."""
    body = sanitize_html(html)
    text = html_text(body)
    title = clip(title, 255)
    return Article(
        title=title,
        slug=slugify(slug or title),
        html=body,
        excerpt=clip(excerpt or text, EXCERPT_MAX),
        meta_title=clip(meta_title or title, META_TITLE_MAX),
        meta_description=clip(meta_description or excerpt or text, META_DESCRIPTION_MAX),
        categories=_terms(categories),
        tags=_terms(tags),
        language=language,
        word_count=word_count(body),
    )
