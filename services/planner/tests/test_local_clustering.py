"""The local method on the real model shipped in the wordllama wheel: meaning over shared words,
granularity, incremental joins by meaning, determinism, the per-text cache."""

from __future__ import annotations

import numpy as np
import pytest
from tokenizers import Tokenizer

from igny8_planner.adapters import static_embeddings
from igny8_planner.adapters.static_embeddings import (
    ModelMissingError,
    StaticEmbedder,
    local_embedder,
)
from igny8_planner.domain.clustering.granularity import FINE_MAX_KEYWORDS, ClusterTarget, to_count
from igny8_planner.domain.clustering.grouping import group_texts
from igny8_planner.domain.clustering.local import centred, place_locally

# Three topics whose keywords share modifiers ("best", "how to", "review", "for beginners")
# across topics, and some that share no word with the rest of their topic.
TOPICS = {
    "coffee": ["best espresso machine", "espresso machine review", "how to make a latte",
               "latte art for beginners", "milk frothing pitcher", "how to steam milk",
               "espresso grinder review", "best coffee beans for espresso"],
    "shoes": ["best running shoes", "running shoes review", "how to lace running shoes",
              "running shoes for beginners", "marathon racing shoes", "best trail running shoes",
              "cushioned sneakers for jogging", "running shoe sizing guide"],
    "garden": ["best tomato fertilizer", "how to grow tomatoes", "tomato plants for beginners",
               "tomato seedlings care", "raised bed vegetable garden", "how to prune tomato plants",
               "heirloom tomato varieties", "tomato cage review"],
}
TEXTS = [text for texts in TOPICS.values() for text in texts]
LABELS = [topic for topic, texts in TOPICS.items() for _ in texts]


def embed(texts: list[str]) -> np.ndarray:
    return local_embedder().embed(texts)


def topics_of(groups: list[list[int]]) -> list[set[str]]:
    return [{LABELS[i] for i in group} for group in groups]


def test_the_model_loads_from_the_installed_wheel_and_gives_unit_vectors() -> None:
    weights, tokenizer = static_embeddings.model_files()
    assert weights.is_file() and tokenizer.is_file()
    assert "wordllama" in weights.parts
    vectors = embed(["espresso machine", "latte art", "", "running shoes"])
    assert vectors.shape == (4, 256) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[[0, 1, 3]], axis=1), 1.0, atol=1e-5)
    assert not vectors[2].any()  # no tokens, no direction


def test_meaning_beats_shared_modifier_words() -> None:
    espresso, latte, shoes_review, espresso_review = embed(
        ["espresso machine", "latte art", "running shoes review", "espresso machine review"])
    assert espresso @ latte > espresso_review @ shoes_review
    assert espresso @ espresso_review > espresso @ shoes_review


def test_a_missing_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(static_embeddings, "PACKAGE", "no_such_model_package")
    with pytest.raises(ModelMissingError, match="not installed"):
        static_embeddings.model_files()


def test_each_text_is_embedded_once_and_the_cache_is_bounded() -> None:
    fresh = StaticEmbedder.from_package()
    first = fresh.embed(["a b", "c d", "a b"])
    assert fresh.embedded == 2
    again = fresh.embed(["c d", "a b", "e f"])
    assert fresh.embedded == 3
    assert np.array_equal(again[:2], first[[1, 0]])
    _, tokenizer = static_embeddings.model_files()
    small = StaticEmbedder(np.eye(4, dtype=np.float32), Tokenizer.from_file(str(tokenizer)),
                           cache_texts=2)
    small.embed(["x", "y", "z"])
    assert small.cached == 2
    small.embed(["x"])  # was dropped first: embedded again
    assert small.embedded == 4


def test_topics_stay_apart_where_word_overlap_mixes_them() -> None:
    placement = place_locally([], TEXTS, embed)
    assert placement.joined == [-1] * len(TEXTS)
    assert all(len(topics) == 1 for topics in topics_of(placement.new_groups))
    # The lexical method, on the same keywords, puts different topics together.
    assert any(len(topics) > 1 for topics in topics_of(group_texts(TEXTS)))


def test_asked_for_a_count_it_gives_exactly_that_many_clusters() -> None:
    for count in (1, 3, 5, len(TEXTS)):
        groups = place_locally([], TEXTS, embed, ClusterTarget(count=count)).new_groups
        assert len(groups) == count
        assert sorted(i for group in groups for i in group) == list(range(len(TEXTS)))
    three = place_locally([], TEXTS, embed, ClusterTarget(count=3)).new_groups
    assert sorted(map(sorted, topics_of(three))) == [["coffee"], ["garden"], ["shoes"]]


def test_a_count_outside_one_to_the_keywords_is_refused() -> None:
    vectors = embed(TEXTS[:3])
    for count in (0, 4):
        with pytest.raises(ValueError, match="count must be between 1 and 3"):
            to_count(vectors, [[0, 1, 2]], count)


def test_fine_keeps_clusters_article_sized_and_coarse_never_has_more_clusters() -> None:
    many = [f"{modifier} {topic}" for topic in ("running shoes", "espresso machine")
            for modifier in ("best", "cheap", "buy", "top rated", "lightweight", "durable",
                             "waterproof", "affordable", "premium", "classic", "new", "used",
                             "compact")]
    fine = place_locally([], many, embed, ClusterTarget("fine")).new_groups
    medium = place_locally([], many, embed, ClusterTarget("medium")).new_groups
    coarse = place_locally([], many, embed, ClusterTarget("coarse")).new_groups
    assert max(len(group) for group in fine) <= FINE_MAX_KEYWORDS
    assert max(len(group) for group in medium) > FINE_MAX_KEYWORDS
    assert len(coarse) <= len(medium) < len(fine)
    for groups in (fine, medium, coarse):
        assert all(len({"shoes" in many[i] for i in group}) == 1 for group in groups)


def test_new_keywords_join_existing_clusters_by_meaning() -> None:
    existing = [TOPICS["coffee"][:4], TOPICS["shoes"][:4]]
    placement = place_locally(existing, ["cushioned sneakers for jogging", "how to grow tomatoes",
                                         "tomato seedlings care"], embed)
    assert placement.joined == [1, -1, -1]  # sharing no word with the running shoes
    assert placement.new_groups == [[1, 2]]


def test_clustering_is_deterministic_and_independent_of_input_order() -> None:
    first = place_locally([], TEXTS, embed).new_groups
    assert place_locally([], TEXTS, embed).new_groups == first
    last = len(TEXTS) - 1
    backwards = place_locally([], TEXTS[::-1], embed).new_groups
    assert {frozenset(last - i for i in group) for group in backwards} == {
        frozenset(group) for group in first}


def test_centring_takes_out_the_shared_theme_but_not_a_small_sets_topic() -> None:
    theme = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    rows = np.array([[0.8, 0.6, 0.0], [0.8, -0.6, 0.0]] * 200, dtype=np.float32)
    many = centred(rows)
    assert abs(float(many[0] @ theme)) < 0.2  # the shared part is (almost) gone
    few = centred(rows[:2])
    assert float(few[0] @ few[1]) > 0.0  # two keywords keep what they share
    assert centred(np.zeros((0, 3), dtype=np.float32)).shape == (0, 3)
