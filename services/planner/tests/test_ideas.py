"""Content ideas without a database: the offline provider's ideas through the AI engine, shaped
by the planner's rules (structure, content type, target keywords, estimated length)."""

from __future__ import annotations

import uuid
from typing import get_args

from igny8_ai import AIContext, AIEngine, GenerateIdeas, IdeaCluster, IdeasRequest, OfflineProvider
from igny8_ai.schemas import IdeasAnswer
from igny8_ai.testing import RecordingSave
from igny8_contracts.planner import IdeaContentType, IdeaStructure
from igny8_planner.domain.ideas import (
    AnsweredIdea,
    ClusterKeyword,
    ClusterSource,
    ShapedIdea,
    shape_ideas,
    target_keywords,
    unique_names,
)


def cluster(name: str, words: list[str], *, intent: str | None = "informational",
            keyword_count: int | None = None) -> ClusterSource:
    return ClusterSource(
        id=uuid.uuid4(), site_id=uuid.uuid4(), sector_id=uuid.uuid4(), name=name,
        keyword_count=len(words) if keyword_count is None else keyword_count,
        dominant_intent=intent,
        keywords=tuple(ClusterKeyword(uuid.uuid4(), word) for word in words))


async def offline_ideas(clusters: list[ClusterSource], per_cluster: int) -> list[ShapedIdea]:
    names = unique_names(clusters)
    saved: RecordingSave[IdeasAnswer] = RecordingSave()
    request = IdeasRequest(ideas_per_cluster=per_cluster, clusters=[
        IdeaCluster(name=name, keywords=[k.keyword for k in c.keywords])
        for name, c in zip(names, clusters, strict=True)])
    outcome = await AIEngine().run(GenerateIdeas(save=saved), request,
                                   AIContext(account_id="acct", provider=OfflineProvider()))
    assert outcome.offline
    answered = [AnsweredIdea(i.cluster, i.title, i.description, i.target_keywords)
                for i in saved.saved[0].ideas]
    return shape_ideas(answered, dict(zip(names, clusters, strict=True)), per_cluster)


SHOES = cluster("Running Shoes", ["running shoes", "running shoes for flat feet",
                                  "trail running shoes"])
YOGA = cluster("Yoga Mat", ["yoga mat", "thick yoga mat"], intent="commercial")


async def test_offline_ideas_are_sensible() -> None:
    ideas = await offline_ideas([SHOES, YOGA], per_cluster=3)
    assert [idea.cluster.name for idea in ideas] == ["Running Shoes"] * 3 + ["Yoga Mat"] * 3
    for idea in ideas:
        assert idea.cluster.name.lower() in idea.title.lower()
        assert "[offline provider]" in idea.description
        assert idea.content_structure in get_args(IdeaStructure)
        assert idea.content_type in get_args(IdeaContentType)
        assert 800 <= idea.estimated_word_count <= 5000
        known = {k.id: k.keyword for k in idea.cluster.keywords}
        assert idea.target_keywords
        assert all(known[t.id] == t.keyword for t in idea.target_keywords if t.id)
    assert len({idea.title for idea in ideas}) == 6, "ideas of a cluster differ"


async def test_first_idea_is_the_clusters_hub_and_the_rest_support_it() -> None:
    ideas = await offline_ideas([SHOES, YOGA], per_cluster=3)
    assert [i.content_structure for i in ideas] == [
        "cluster_hub", "supporting_page", "supporting_page",
        "landing_page", "supporting_page", "supporting_page"]
    assert ideas[0].content_type == "guide"
    assert ideas[3].content_type == "page"
    assert ideas[2].content_type == "tutorial", ideas[2].title  # "How to choose: …"
    assert ideas[0].estimated_word_count > ideas[1].estimated_word_count


async def test_a_broad_cluster_gets_a_pillar_page() -> None:
    broad = cluster("Marathon Training", ["marathon training", "marathon training plan"],
                    keyword_count=40)
    ideas = await offline_ideas([broad], per_cluster=1)
    assert [(i.content_structure, i.content_type) for i in ideas] == [("pillar_page", "guide")]
    assert ideas[0].estimated_word_count >= 3000


async def test_offline_ideas_are_deterministic() -> None:
    first = await offline_ideas([SHOES, YOGA], per_cluster=2)
    second = await offline_ideas([SHOES, YOGA], per_cluster=2)
    assert first == second


def test_no_more_ideas_per_cluster_than_paid_for_and_unknown_clusters_dropped() -> None:
    answered = [AnsweredIdea("Running Shoes", f"Idea {n}", "", ["running shoes"])
                for n in range(5)] + [AnsweredIdea("Invented", "Elsewhere", "", [])]
    shaped = shape_ideas(answered, {"Running Shoes": SHOES}, per_cluster=2)
    assert [i.title for i in shaped] == ["Idea 0", "Idea 1"]


def test_target_keywords_take_the_clusters_ids_and_spelling() -> None:
    targets = target_keywords(["  RUNNING   shoes", "running shoes", "barefoot shoes", ""], SHOES)
    assert [(t.id, t.keyword) for t in targets] == [
        (SHOES.keywords[0].id, "running shoes"), (None, "barefoot shoes")]
    assert [t.id for t in target_keywords([], SHOES)] == [SHOES.keywords[0].id]
    assert target_keywords([], None) == []


def test_cluster_names_sent_to_the_ai_are_distinct() -> None:
    same = [cluster("Shoes", ["a"]), cluster("shoes ", ["b"]), cluster("Shoes (2)", ["c"]),
            cluster("", ["d"])]
    assert unique_names(same) == ["Shoes", "shoes (2)", "Shoes (2) (2)", "Untitled"]
