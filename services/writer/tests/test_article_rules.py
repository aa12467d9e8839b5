"""The writer's pure rules: the allow-list sanitiser, the checks an article must pass before it is
saved, shaping (slug, bounded meta fields), diff lines and the review workflow."""

from __future__ import annotations

import pytest

from igny8_writer.domain.articles import (
    META_DESCRIPTION_MAX,
    META_TITLE_MAX,
    article_problems,
    clip,
    shape_article,
    slugify,
)
from igny8_writer.domain.html import html_lines, sanitize_html, word_count
from igny8_writer.domain.workflow import TransitionRefused, check_transition

GOOD = ("<p>Trail shoes keep you upright on wet rock.</p><h2>Grip</h2><p>Lugs matter.</p>"
        "<h3>Depth</h3><p>Deeper is better in mud.</p><h2>Fit</h2><p>Try them late in the day.</p>")


@pytest.mark.parametrize(("hostile", "banned"), [
    ('<script>alert(1)</script><p>x</p>', "alert"),
    ('<p onclick="steal()">x</p>', "onclick"),
    ('<img src="a.png" onerror="steal()">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "javascript"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "script"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
    ('<iframe src="https://evil.example/"></iframe><p>x</p>', "evil"),
    ('<object data="x.swf"></object><embed src="x.swf"><p>x</p>', "swf"),
    ('<style>p{color:red}</style><p style="color:red">x</p>', "color"),
    ('<svg onload="x()"><circle/></svg><p>x</p>', "onload"),
    ('<!-- <script>x</script> --><p>x</p>', "<!--"),
])
def test_the_sanitiser_removes_what_could_run(hostile: str, banned: str) -> None:
    assert banned not in sanitize_html(hostile).lower()


def test_the_sanitiser_keeps_article_markup() -> None:
    kept = ('<h2>Title</h2><p>A <strong>bold</strong> <em>claim</em>, '
            '<a href="https://example.com/x" title="t">a link</a>.</p><ul><li>one</li></ul>'
            '<figure><img src="/api/v1/writer/images/1/file" alt="A shoe"><figcaption>Shoe'
            '</figcaption></figure><blockquote>Quote</blockquote>')
    cleaned = sanitize_html(kept)
    for piece in ("<h2>Title</h2>", "<strong>bold</strong>", "<em>claim</em>",
                  'href="https://example.com/x"', 'rel="noopener noreferrer"', "<li>one</li>",
                  '<img src="/api/v1/writer/images/1/file" alt="A shoe">',
                  "<figcaption>Shoe</figcaption>", "<blockquote>Quote</blockquote>"):
        assert piece in cleaned


def test_a_good_article_passes_the_checks() -> None:
    assert article_problems("The best trail shoes", GOOD, "trail shoes") == []
    assert article_problems("Anything", GOOD, "") == []


@pytest.mark.parametrize(("title", "html", "expected"), [
    ("Trail shoes", GOOD[: len(GOOD) // 2], "cut off"),
    ("Trail shoes", "<p>Trail shoes are good and", "cut off"),
    ("Running shoes", GOOD, "title does not contain"),
    ("Trail shoes", "<p>Shoes.</p><h2>Trail shoes</h2><p>x.</p>", "opening paragraph"),
    ("Trail shoes", "<h2>Trail shoes</h2><p>Trail shoes x.</p>", None),
    ("Trail shoes", "<p>Trail shoes.</p><p>No headings.</p>", "no h2"),
    ("Trail shoes", "<p>Trail shoes.</p><h3>Sub</h3><p>x.</p>", "first heading is an h3"),
    ("Trail shoes", "<p>Trail shoes.</p><h2>A</h2><h4>B</h4><p>x.</p>", "level is skipped"),
    ("Trail shoes", "<p>Trail shoes.</p><h2> </h2><p>x.</p>", "empty heading"),
    ("Trail shoes", "<p>Trail shoes.</p><h1>Big</h1><h2>A</h2><p>x.</p>", "h1"),
])
def test_checks_name_what_is_wrong(title: str, html: str, expected: str | None) -> None:
    problems = article_problems(title, html, "trail shoes")
    if expected is None:
        assert problems == []  # the first paragraph may follow the first h2
    else:
        assert any(expected in p for p in problems), problems


def test_keyword_match_ignores_case_width_and_spacing() -> None:
    assert article_problems("TRAIL   Shoes guide", GOOD, "trail shoes") == []
    html = "<p>\uff34\uff52\uff41\uff49\uff4c shoes, über alles.</p><h2>A</h2><p>x.</p>"
    assert article_problems("Trail shoes", html, "trail shoes") == []


def test_shaping_bounds_the_meta_fields_and_derives_what_is_missing() -> None:
    article = shape_article(title="Ünïcode trail shoes: the guide", html=GOOD + "<script>x</script>",
                            slug="", excerpt="", meta_title="m" * 100,
                            meta_description="word " * 100, categories=["Gear", "gear", "Shoes"],
                            tags=["a"] * 3, language="de")
    assert article.slug == "unicode-trail-shoes-the-guide"
    assert len(article.meta_title) <= META_TITLE_MAX
    assert len(article.meta_description) <= META_DESCRIPTION_MAX
    assert article.meta_description.endswith("…")
    assert article.excerpt.startswith("Trail shoes keep you upright")
    assert article.categories == ["Gear", "Shoes"] and article.tags == ["a"]
    assert "<script" not in article.html
    assert article.word_count == word_count(GOOD) == 24


def test_slugs_and_clipping() -> None:
    assert slugify("Ça va? Über — Größe 10!") == "ca-va-uber-grosse-10"
    assert slugify("日本語 の 記事") == "日本語-の-記事"
    assert slugify("!!!") == "article"
    assert clip("one two three", 9) == "one two…"
    assert clip("short", 10) == "short"


def test_diff_lines_are_one_block_each() -> None:
    assert html_lines("<h2>A</h2><p>b</p><ul><li>c</li><li>d</li></ul>") == [
        "<h2>A</h2>", "<p>b</p>", "<ul><li>c</li>", "<li>d</li>", "</ul>"]


@pytest.mark.parametrize(("current", "wanted", "allowed"), [
    ("draft", "review", True), ("review", "approved", True), ("review", "draft", True),
    ("approved", "draft", True), ("archived", "draft", True), ("published", "archived", True),
    ("draft", "approved", False), ("draft", "published", False), ("approved", "approved", False),
    ("archived", "approved", False), ("published", "draft", False),
])
def test_review_workflow(current: str, wanted: str, allowed: bool) -> None:
    if allowed:
        check_transition(current, wanted)
    else:
        with pytest.raises(TransitionRefused):
            check_transition(current, wanted)
