"""Prompt registry: the system default templates, and checks for account overrides.

Templates name their variables as ``{{variable}}``; single braces are left alone, so JSON
examples in a prompt need no escaping. Each prompt key declares which variables it requires and
which it may use; an override is refused if it uses any other or leaves a required one out.
Services store overrides per account and call ``validate_template`` when one is saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class PromptValidationError(ValueError):
    """Field-level errors, shaped like the API's ``errors`` ({field: [message, ...]})."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{f}: {' '.join(m)}" for f, m in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class PromptTemplate:
    key: str
    text: str
    required: frozenset[str]
    optional: frozenset[str] = frozenset()

    def render(self, **variables: str) -> str:
        missing = self.required - variables.keys()
        if missing:
            raise PromptValidationError({"variables": [f"missing: {', '.join(sorted(missing))}"]})
        return _PLACEHOLDER.sub(lambda m: variables.get(m.group(1).strip(), ""), self.text)

    def with_text(self, text: str) -> PromptTemplate:
        """This prompt with an account's override text, which must pass ``validate_template``."""
        validate_template(self.key, text)
        return PromptTemplate(self.key, text, self.required, self.optional)


def placeholders(text: str) -> list[str]:
    return [match.strip() for match in _PLACEHOLDER.findall(text)]


def validate_template(key: str, text: str) -> None:
    """Raise ``PromptValidationError`` unless ``text`` is a usable template for ``key``."""
    default = DEFAULT_PROMPTS.get(key)
    if default is None:
        raise PromptValidationError(
            {"prompt_type": [f"unknown prompt '{key}'; known: {', '.join(sorted(DEFAULT_PROMPTS))}"]}
        )
    problems: list[str] = []
    if not text.strip():
        problems.append("The template is empty.")
    used = placeholders(text)
    malformed = sorted({name for name in used if not _NAME.match(name)})
    if malformed:
        problems.append(f"Malformed placeholder(s): {', '.join('{{' + n + '}}' for n in malformed)}.")
    allowed = default.required | default.optional
    unknown = sorted({name for name in used if _NAME.match(name)} - allowed)
    if unknown:
        problems.append(
            f"Unknown variable(s): {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}."
        )
    missing = sorted(default.required - set(used))
    if missing:
        problems.append(f"Missing required variable(s): {', '.join(missing)}.")
    if problems:
        raise PromptValidationError({"template": problems})


def resolve_prompt(key: str, override: str | None = None) -> PromptTemplate:
    """The account's override when it has one, else the system default."""
    default = DEFAULT_PROMPTS[key]
    return default.with_text(override) if override else default


_JSON_ONLY = "Answer with one JSON object and nothing else."

DEFAULT_PROMPTS: Mapping[str, PromptTemplate] = {
    "auto_cluster": PromptTemplate(
        "auto_cluster",
        "You are an SEO strategist. Group the keywords below into topic clusters: keywords one "
        "page, or a small group of closely linked pages, could target together because they "
        "share a topic and search intent.\n\n"
        "Sector: {{sector}}\n"
        "Keywords (JSON array): {{keywords}}\n\n"
        "Rules:\n"
        "- Put every keyword in exactly one cluster, spelled exactly as given.\n"
        "- Give each cluster a short descriptive name and a one-sentence description.\n"
        '- Shape: {"clusters": [{"name": "...", "description": "...", "keywords": ["..."]}]}\n'
        + _JSON_ONLY,
        required=frozenset({"keywords"}),
        optional=frozenset({"sector"}),
    ),
    "generate_ideas": PromptTemplate(
        "generate_ideas",
        "You are an SEO content strategist. For each keyword cluster below, propose "
        "{{ideas_per_cluster}} distinct article ideas that would rank for the cluster's keywords "
        "and answer its search intent.\n\n"
        "Sector: {{sector}}\n"
        'Clusters (JSON array of {"name", "keywords"}): {{clusters}}\n\n'
        "Rules:\n"
        "- Name the cluster of each idea exactly as given.\n"
        "- A compelling title, a two-sentence brief, and the keywords the article targets.\n"
        '- Shape: {"ideas": [{"cluster": "...", "title": "...", "description": "...", '
        '"target_keywords": ["..."]}]}\n' + _JSON_ONLY,
        required=frozenset({"clusters", "ideas_per_cluster"}),
        optional=frozenset({"sector"}),
    ),
    "generate_content": PromptTemplate(
        "generate_content",
        "You are an expert SEO writer. Write a complete, original article for this idea.\n\n"
        'Idea (JSON: {"title", "description", "target_keywords", "primary_keyword", '
        '"cluster"}): {{idea}}\n'
        "Primary keyword: {{primary_keyword}}\n"
        "Content type: {{content_type}}. Page structure: {{structure}}.\n"
        "Target length: about {{word_count}} words. Tone: {{tone}}.\n"
        "Language: write everything (title, body, meta, categories, tags) in {{language}}.\n"
        "Author: {{author}}\n\n"
        "Rules:\n"
        "- The title and the opening paragraph contain the primary keyword exactly.\n"
        "- Semantic HTML only (p, h2, h3, ul, ol, li, strong, em, blockquote); no h1 (the title "
        "is the h1), no html/head/body tags, no scripts, styles or iframes.\n"
        "- Start with an opening paragraph, then h2 sections (h3 only inside an h2 section); "
        "every heading has text; finish the last sentence.\n"
        "- Use the target keywords naturally; no keyword stuffing.\n"
        "- meta_title at most 60 characters, meta_description at most 160, excerpt one or two "
        "sentences, slug lower-case words joined by hyphens, 1-3 categories, 3-8 tags.\n"
        '- Shape: {"title": "...", "slug": "...", "html": "...", "excerpt": "...", '
        '"meta_title": "...", "meta_description": "...", "categories": ["..."], '
        '"tags": ["..."], "language": "..."}\n' + _JSON_ONLY,
        required=frozenset({"idea"}),
        optional=frozenset({"word_count", "tone", "language", "primary_keyword", "content_type",
                            "structure", "author"}),
    ),
    "extract_image_prompts": PromptTemplate(
        "extract_image_prompts",
        "You write prompts for an image generator. Read the article below and describe one "
        "featured image for its header and {{image_count}} in-article images, each illustrating "
        "one section. Describe scenes concretely (subject, setting, style, light); no text, "
        "letters or logos in the images.\n\n"
        "Title: {{title}}\n"
        "Section headings (JSON array, in order): {{headings}}\n"
        "Article (HTML): {{content}}\n\n"
        "Rules:\n"
        "- For each image: the prompt; alt text saying what the image shows and what it "
        "illustrates for the reader (at most 125 characters); a short caption.\n"
        "- Place each in-article image after a section heading, copied exactly from the list "
        "in after_heading; use each heading at most once.\n"
        '- Shape: {"featured": {"prompt": "...", "alt_text": "...", "caption": "..."}, '
        '"in_article": [{"prompt": "...", "alt_text": "...", "caption": "...", '
        '"after_heading": "..."}]}\n' + _JSON_ONLY,
        required=frozenset({"content"}),
        optional=frozenset({"image_count", "title", "headings"}),
    ),
}
