"""The planner's AI functions: keywords → clusters, clusters → content ideas.

The service constructs them with its own ``save`` callable and runs them through ``AIEngine``.
"""

from __future__ import annotations

import json
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from igny8_ai.functions_base import AIFunction, InvalidAnswer, InvalidRequest
from igny8_ai.schemas import ClusteringAnswer, ClusterItem, IdeaItem, IdeasAnswer

ResultT = TypeVar("ResultT")


class ClusterRequest(BaseModel):
    keywords: list[str]
    sector: str = ""


class IdeaCluster(BaseModel):
    name: str
    keywords: list[str] = Field(default_factory=list)


class IdeasRequest(BaseModel):
    clusters: list[IdeaCluster]
    ideas_per_cluster: int = Field(default=3, ge=1, le=10)
    sector: str = ""


def _key(text: str) -> str:
    return " ".join(text.lower().split())


class AutoCluster(AIFunction[ClusterRequest, ClusteringAnswer, ResultT], Generic[ResultT]):
    name = "auto_cluster"
    prompt_key = "auto_cluster"
    answer_model = ClusteringAnswer

    def validate(self, request: ClusterRequest) -> None:
        if not any(k.strip() for k in request.keywords):
            raise InvalidRequest("no keywords to cluster")

    def prepare(self, request: ClusterRequest) -> dict[str, str]:
        return {"keywords": json.dumps(request.keywords), "sector": request.sector}

    def parse(self, answer: ClusteringAnswer, request: ClusterRequest) -> ClusteringAnswer:
        """Keep only keywords we sent (in our spelling), each in its first cluster only."""
        known = {_key(k): k for k in request.keywords}
        placed: set[str] = set()
        clusters = []
        for cluster in answer.clusters:
            members = []
            for keyword in cluster.keywords:
                key = _key(keyword)
                if key in known and key not in placed:
                    placed.add(key)
                    members.append(known[key])
            if members:
                clusters.append(ClusterItem(name=cluster.name, description=cluster.description,
                                            keywords=members))
        if not clusters:
            raise InvalidAnswer("placed none of the requested keywords in a cluster")
        return ClusteringAnswer(clusters=clusters)


class GenerateIdeas(AIFunction[IdeasRequest, IdeasAnswer, ResultT], Generic[ResultT]):
    name = "generate_ideas"
    prompt_key = "generate_ideas"
    answer_model = IdeasAnswer

    def validate(self, request: IdeasRequest) -> None:
        if not request.clusters:
            raise InvalidRequest("no clusters to generate ideas for")

    def prepare(self, request: IdeasRequest) -> dict[str, str]:
        clusters = [{"name": c.name, "keywords": c.keywords} for c in request.clusters]
        return {"clusters": json.dumps(clusters), "ideas_per_cluster": str(request.ideas_per_cluster),
                "sector": request.sector}

    def parse(self, answer: IdeasAnswer, request: IdeasRequest) -> IdeasAnswer:
        """Keep ideas for clusters we sent (named as we named them)."""
        names = {_key(c.name): c.name for c in request.clusters}
        ideas = [
            IdeaItem(cluster=names[_key(idea.cluster)], title=idea.title,
                     description=idea.description, target_keywords=idea.target_keywords)
            for idea in answer.ideas if _key(idea.cluster) in names
        ]
        if not ideas:
            raise InvalidAnswer("named none of the requested clusters")
        return IdeasAnswer(ideas=ideas)
