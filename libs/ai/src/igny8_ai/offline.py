"""The offline provider: deterministic answers with no network and no key.

It is the default, so a fresh install runs end to end. It answers from the prompt's variables
(not from the text, which an account may have rewritten) with simple heuristics, and marks its
text with ``[offline provider]`` so nobody mistakes it for a model's work.
"""

from __future__ import annotations

import asyncio
import html
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from igny8_ai.deterministic import STOPWORDS, estimate_tokens, hashed_embedding, words
from igny8_ai.offline_images import placeholder_png
from igny8_ai.providers import (
    OFFLINE_MARK,
    ChatCompletion,
    ChatRequest,
    Embeddings,
    GeneratedImage,
    ProviderConfig,
)
from igny8_contracts.text import clip

OFFLINE_MODEL = "offline"
Answerer = Callable[[Mapping[str, str]], dict[str, Any]]


class OfflineProvider:
    offline = True

    def __init__(self, config: ProviderConfig | None = None) -> None:
        self.config = config or ProviderConfig(kind="offline")

    @property
    def name(self) -> str:
        return self.config.name

    async def complete(self, request: ChatRequest) -> ChatCompletion:
        answerer = ANSWERERS.get(request.prompt_key)
        if answerer is not None:
            content = json.dumps(answerer(request.variables))
        elif request.json_mode:
            content = json.dumps({"text": f"{OFFLINE_MARK} no offline answer for this request"})
        else:
            content = f"{OFFLINE_MARK} no offline answer for this request"
        prompt = "\n".join(message.content for message in request.messages)
        return ChatCompletion(content, "stop", estimate_tokens(prompt), estimate_tokens(content),
                              OFFLINE_MODEL, offline=True)

    async def embed(self, texts: Sequence[str]) -> Embeddings:
        tokens = sum(estimate_tokens(text) for text in texts)
        return Embeddings([hashed_embedding(text) for text in texts], tokens, OFFLINE_MODEL, True)

    async def generate_image(self, prompt: str, size: str = "1024x1024") -> GeneratedImage:
        # Drawing takes a tenth of a second or so: off the event loop.
        png = await asyncio.to_thread(placeholder_png, prompt, size)
        return GeneratedImage(png=png, url=None, model=OFFLINE_MODEL, offline=True)

    async def aclose(self) -> None:
        return None


def _json_list(variables: Mapping[str, str], name: str) -> list[Any]:
    try:
        value = json.loads(variables.get(name, "[]"))
    except json.JSONDecodeError:
        return []
    return value if isinstance(value, list) else []


def _head_word(keyword: str, frequency: Counter[str]) -> str:
    candidates = [w for w in words(keyword) if w not in STOPWORDS] or words(keyword) or [keyword]
    # The word most keywords share names the topic; ties go to the earlier word.
    return max(candidates, key=lambda w: (frequency[w], -candidates.index(w)))


def cluster_offline(variables: Mapping[str, str]) -> dict[str, Any]:
    keywords = [str(k) for k in _json_list(variables, "keywords")]
    frequency: Counter[str] = Counter(w for k in keywords for w in set(words(k)) if w not in STOPWORDS)
    groups: dict[str, list[str]] = {}
    for keyword in keywords:
        groups.setdefault(_head_word(keyword, frequency), []).append(keyword)
    return {"clusters": [
        {"name": head.title(),
         "description": f"{OFFLINE_MARK} Keywords sharing the word '{head}'.",
         "keywords": members}
        for head, members in groups.items()
    ]}


def ideas_offline(variables: Mapping[str, str]) -> dict[str, Any]:
    try:
        per_cluster = max(1, int(variables.get("ideas_per_cluster", "1")))
    except ValueError:
        per_cluster = 1
    angles = ["The complete guide to {}", "{}: common questions answered", "How to choose: {}",
              "{} mistakes to avoid", "{} for beginners"]
    ideas = []
    for cluster in _json_list(variables, "clusters"):
        if not isinstance(cluster, dict):
            continue
        name = str(cluster.get("name", "")).strip() or "Untitled"
        keywords = [str(k) for k in cluster.get("keywords", [])][:5]
        for index in range(per_cluster):
            ideas.append({
                "cluster": name,
                "title": angles[index % len(angles)].format(name),
                "description": f"{OFFLINE_MARK} An article about {name.lower()} targeting "
                               f"{', '.join(keywords) or 'its keywords'}.",
                "target_keywords": keywords,
            })
    return {"ideas": ideas}


def content_offline(variables: Mapping[str, str]) -> dict[str, Any]:
    """A placeholder article with the shape and checks of a real one: the primary keyword in
    the title and the opening paragraph, h2 sections (one per target keyword or outline line,
    h3 under the first) filled to about the target length, meta fields in bounds."""
    try:
        idea = json.loads(variables.get("idea", "{}"))
    except json.JSONDecodeError:
        idea = {}
    idea = idea if isinstance(idea, dict) else {}
    title = str(idea.get("title") or "Untitled article").strip()
    keyword = (variables.get("primary_keyword") or str(idea.get("primary_keyword") or "")).strip()
    if keyword and keyword.casefold() not in title.casefold():
        title = f"{keyword[:1].upper()}{keyword[1:]}: {title}"
    topic = keyword or title
    language = variables.get("language", "").strip() or "en"
    try:
        target = max(150, min(5000, int(variables.get("word_count", "") or 600)))
    except ValueError:
        target = 600
    sections = [str(k) for k in idea.get("target_keywords") or [] if str(k).strip()][:6]
    sections = sections or [line.strip(" -*#") for line in str(idea.get("description") or "")
                            .splitlines() if line.strip(" -*#")][:6]
    sections = sections or [f"What to know about {topic}", f"Choosing {topic}", "Summary"]
    filler = (f"This paragraph about {html.escape(topic)} is placeholder text from the offline "
              "provider, which writes without an AI model so the product runs anywhere.")
    per_paragraph = len(filler.split())
    paragraphs = max(1, (target - 40) // per_paragraph // len(sections))
    body = [f"<p><strong>{OFFLINE_MARK}</strong> An article about {html.escape(topic)}. "
            "Configure an AI provider to generate the real article.</p>"]
    for index, section in enumerate(sections):
        body.append(f"<h2>{html.escape(section[:1].upper() + section[1:])}</h2>")
        if index == 0:
            body.append(f"<h3>{html.escape(topic[:1].upper() + topic[1:])} in short</h3>")
        body.extend(f"<p>{filler}</p>" for _ in range(paragraphs))
    return {
        "title": title,
        "slug": "",
        "html": "".join(body),
        "excerpt": f"{OFFLINE_MARK} Placeholder article about {topic}.",
        "meta_title": clip(title, 60),
        "meta_description": clip(f"{OFFLINE_MARK} Placeholder article: {title}.", 160),
        "categories": [clip(str(idea.get("cluster") or topic), 60)],
        "tags": [clip(str(k), 60) for k in (idea.get("target_keywords") or [topic])][:8],
        "language": language,
    }


def image_prompts_offline(variables: Mapping[str, str]) -> dict[str, Any]:
    """One featured prompt and ``image_count`` in-article prompts, each placed after one of the
    article's h2 headings in turn (spread evenly), with alt text and a caption."""
    try:
        count = max(0, int(variables.get("image_count", "1")))
    except ValueError:
        count = 1
    title = variables.get("title", "").strip() or "the article"
    headings = [str(h).strip() for h in _json_list(variables, "headings") if str(h).strip()]
    in_article = []
    for index in range(count):
        heading = headings[(index * len(headings)) // count] if headings else ""
        subject = heading or f"{title}, part {index + 1}"
        in_article.append({
            "prompt": f"{OFFLINE_MARK} An editorial illustration of {subject}",
            "alt_text": f"Illustration of {subject}, showing the idea of this section of {title}",
            "caption": subject,
            "after_heading": heading,
        })
    return {
        "featured": {
            "prompt": f"{OFFLINE_MARK} A wide editorial header image about {title}",
            "alt_text": f"Header illustration introducing the topic of {title}",
            "caption": title,
        },
        "in_article": in_article,
    }


ANSWERERS: Mapping[str, Answerer] = {
    "auto_cluster": cluster_offline,
    "generate_ideas": ideas_offline,
    "generate_content": content_offline,
    "extract_image_prompts": image_prompts_offline,
}
