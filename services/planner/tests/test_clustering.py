"""The local clustering algorithm: groups, determinism, names, stats, incremental placement."""

from __future__ import annotations

from igny8_planner.domain.clustering.grouping import group_texts
from igny8_planner.domain.clustering.incremental import place_new_keywords
from igny8_planner.domain.clustering.summary import KeywordPoint, stats_of, summarise
from igny8_planner.domain.clustering.vectors import keyword_vectors

TOPICS = {
    "shoes": ["running shoes", "best running shoes", "running shoes for women",
              "trail running shoes", "cheap running shoes", "running shoe reviews"],
    "coffee": ["espresso machine", "best espresso machine", "espresso machine for home",
               "cheap espresso machines", "espresso machine reviews", "manual espresso machine"],
    "garden": ["tomato plants", "growing tomato plants", "tomato plant diseases",
               "when to plant tomatoes", "tomato plants in pots", "watering tomato plants"],
}


def _texts() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, keywords in TOPICS.items():
        texts += keywords
        labels += [label] * len(keywords)
    return texts, labels


def test_keywords_of_one_topic_end_in_one_cluster_and_topics_stay_apart() -> None:
    texts, labels = _texts()
    groups = group_texts(texts)
    assert sorted(len(group) for group in groups) == [6, 6, 6]
    for group in groups:
        assert len({labels[i] for i in group}) == 1


def test_clustering_is_deterministic_and_independent_of_input_order() -> None:
    texts, _ = _texts()
    first = group_texts(texts)
    assert group_texts(texts) == first
    reversed_groups = group_texts(texts[::-1])
    last = len(texts) - 1
    as_sets = {frozenset(last - i for i in group) for group in reversed_groups}
    assert as_sets == {frozenset(group) for group in first}


def test_unrelated_keywords_stay_alone() -> None:
    groups = group_texts(["quantum chromodynamics", "sourdough starter", "tax return deadline"])
    assert groups == [[0], [1], [2]]


def test_empty_input_gives_no_clusters() -> None:
    assert group_texts([]) == []


def test_the_representative_keyword_names_the_cluster_ties_to_volume() -> None:
    points = [KeywordPoint("running shoes", 100), KeywordPoint("running shoes", 900),
              KeywordPoint("running shoes for trail", 5000)]
    summary = summarise(points, keyword_vectors([p.text for p in points]), [0, 1, 2])
    assert summary.name == "running shoes"
    assert summary.description.startswith("Keywords about “running shoes”, such as")
    assert summary.members == (0, 1, 2)


def test_stats_count_sum_average_and_dominant_intent() -> None:
    stats = stats_of([KeywordPoint("a", 10, 20, "commercial"), KeywordPoint("b", None, 41, "informational"),
                      KeywordPoint("c", 5, None, "commercial")])
    assert stats.keyword_count == 3
    assert stats.total_volume == 15
    assert stats.average_difficulty == 30.5
    assert stats.dominant_intent == "commercial"
    assert stats_of([KeywordPoint("x")]).average_difficulty is None


def test_new_keywords_join_the_nearest_cluster_or_form_new_ones() -> None:
    existing = [TOPICS["shoes"], TOPICS["coffee"]]
    placement = place_new_keywords(existing, [
        "waterproof running shoes", "espresso machine deals", "tomato plant care",
        "tomato plant fertilizer"])
    assert placement.joined == [0, 1, -1, -1]
    assert placement.new_groups == [[2, 3]]


def test_placing_without_existing_clusters_clusters_the_new_keywords() -> None:
    placement = place_new_keywords([], TOPICS["garden"])
    assert placement.joined == [-1] * 6
    assert placement.new_groups == [list(range(6))]
