"""Article HTML: the allow-list sanitiser every stored body goes through (generated or edited),
its text and word count, and its lines for diffs. Pure functions."""

from __future__ import annotations

import html as html_module
import re
from typing import Final

import nh3

ALLOWED_TAGS: Final = frozenset({
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "b", "i",
    "u", "s", "sub", "sup", "mark", "small", "blockquote", "q", "cite", "code", "pre", "a",
    "img", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "dl", "dt", "dd", "abbr", "span", "div",
})
ALLOWED_ATTRIBUTES: Final = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# Relative URLs stay (images served by the gateway); javascript:, data:, vbscript: … do not.
ALLOWED_URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})
# Removed with everything inside them (the rest of disallowed tags keep their text).
DROPPED_WITH_CONTENT: Final = frozenset({"script", "style", "iframe", "object", "embed",
                                         "noscript", "template", "svg", "math", "frame",
                                         "frameset", "applet", "head", "title"})

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile("\\w+(?:[-'\u2019]\\w+)*", re.UNICODE)
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|ul|ol|blockquote|figure|figcaption|table|thead|"
                        r"tbody|tr|pre|dl|dd|dt|div)>|<br\s*/?>|<hr\s*/?>)", re.IGNORECASE)


def sanitize_html(raw: str) -> str:
    """Only allow-listed tags and attributes; no scripts, event handlers, javascript: URLs,
    iframes or comments. Links get ``rel="noopener noreferrer"``."""
    return nh3.clean(
        raw,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    ).strip()


def html_text(fragment: str) -> str:
    """The visible text of an HTML fragment (tags dropped, entities decoded, spaces folded)."""
    return " ".join(html_module.unescape(_TAG.sub(" ", fragment)).split())


def word_count(fragment: str) -> int:
    return len(_WORD.findall(html_text(fragment)))


def html_lines(fragment: str) -> list[str]:
    """The HTML cut after every block element, one per line (what a diff compares)."""
    return [line.strip() for line in _BLOCK_END.sub(r"\1\n", fragment).splitlines()
            if line.strip()]
