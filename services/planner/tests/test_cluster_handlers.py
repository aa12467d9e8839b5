"""Clusters edited by hand and clustered automatically (the local method), through the service
layer on the in-memory unit of work: memberships and stats, replies, and the events committed."""

from __future__ import annotations

import uuid

from igny8_ai import ProviderConfig
from igny8_contracts import QueryResult
from igny8_contracts.operations import PlannerOperationUpdated
from igny8_contracts.planner import (
    AffectedKeywords,
    AutoClusterKeywords,
    AutoClusterKeywordsV2,
    ClustersChanged,
    ClusterView,
    DeleteCluster,
    KeywordsClustered,
    MergeClusters,
    MovedKeywords,
    MoveKeywords,
    SplitCluster,
    SplitClusters,
    UpdateCluster,
)
from igny8_contracts.system import AccountAi, GetAccountAi
from igny8_planner.adapters.account_models import AccountModels
from igny8_planner.service_layer import cluster_edits, clustering
from igny8_runtime.operations import OperationReporter
from igny8_runtime.secrets import SecretBox
from services.planner.tests.fake_uow import FakePlannerUnitOfWork, Place

SHOES = ["running shoes", "best running shoes", "running shoes for women", "trail running shoes"]
COFFEE = ["espresso machine", "best espresso machine", "espresso machine for home",
          "cheap espresso machines"]


def refusal(reply: object) -> tuple[int, dict[str, list[str]] | None]:
    assert isinstance(reply, QueryResult)
    assert reply.error is not None
    return reply.error.status, reply.error.errors


def changed(uow: FakePlannerUnitOfWork) -> list[tuple[str, list[uuid.UUID]]]:
    return [(e.change, e.cluster_ids) for e in uow.committed_events
            if isinstance(e, ClustersChanged)]


def clustered(uow: FakePlannerUnitOfWork, place: Place, texts: list[str],
              name: str) -> tuple[uuid.UUID, list[uuid.UUID]]:
    ids = [uow.tables.add_keyword(place, text, volume=10 * (i + 1)) for i, text in enumerate(texts)]
    return uow.tables.add_cluster(place, name, ids), ids


async def test_merging_moves_every_keyword_into_the_target_and_deletes_the_sources() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    target, shoes = clustered(uow, place, SHOES[:2], "Running shoes")
    source, more = clustered(uow, place, SHOES[2:], "Women's shoes")
    idea = uow.tables.add_idea(place, "Shoes for women", source)
    reply = await cluster_edits.merge_clusters(MergeClusters(
        account_id=place.account_id, target_id=target, source_ids=[source]), uow)
    assert isinstance(reply, ClusterView)
    assert (reply.id, reply.name, reply.keyword_count, reply.total_volume) == (
        target, "Running shoes", 4, 60)
    assert set(uow.tables.clusters) == {target}
    assert {uow.tables.keywords[k]["cluster_id"] for k in shoes + more} == {target}
    assert uow.tables.ideas[idea]["cluster_id"] is None
    assert changed(uow) == [("merged", [target, source])]


async def test_clusters_of_two_sectors_or_a_cluster_with_itself_are_not_merged() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    target, _ = clustered(uow, place, SHOES, "Shoes")
    elsewhere, _ = clustered(uow, place.other_sector(), COFFEE, "Coffee")
    across = await cluster_edits.merge_clusters(MergeClusters(
        account_id=place.account_id, target_id=target, source_ids=[elsewhere]), uow)
    assert refusal(across) == (400, {"cluster_ids": [
        "Only clusters of the same sector can be merged."]})
    itself = await cluster_edits.merge_clusters(MergeClusters(
        account_id=place.account_id, target_id=target, source_ids=[target]), uow)
    assert refusal(itself) == (400, {"cluster_ids": ["A cluster cannot be merged into itself."]})
    assert set(uow.tables.clusters) == {target, elsewhere}
    assert uow.commits == 0


async def test_splitting_moves_the_chosen_keywords_into_a_new_cluster() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    original, ids = clustered(uow, place, SHOES, "Running shoes")
    reply = await cluster_edits.split_cluster(SplitCluster(
        account_id=place.account_id, cluster_id=original, keyword_ids=ids[2:],
        name="  Women's   and trail "), uow)
    assert isinstance(reply, SplitClusters)
    assert (reply.original.id, reply.original.keyword_count) == (original, 2)
    assert (reply.created.name, reply.created.keyword_count, reply.created.method) == (
        "Women's and trail", 2, "manual")
    assert [uow.tables.keywords[k]["cluster_id"] for k in ids] == [original] * 2 + [
        reply.created.id] * 2
    assert changed(uow) == [("split", [original, reply.created.id])]


async def test_a_split_must_leave_a_keyword_and_take_only_members() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    original, ids = clustered(uow, place, SHOES, "Running shoes")
    stranger = uow.tables.add_keyword(place, "espresso")
    everything = await cluster_edits.split_cluster(SplitCluster(
        account_id=place.account_id, cluster_id=original, keyword_ids=ids), uow)
    assert refusal(everything) == (400, {"keyword_ids": [
        "Leave at least one keyword in the cluster."]})
    foreign = await cluster_edits.split_cluster(SplitCluster(
        account_id=place.account_id, cluster_id=original, keyword_ids=[stranger]), uow)
    assert refusal(foreign) == (400, {"keyword_ids": [
        "Every keyword must belong to this cluster."]})
    assert len(uow.tables.clusters) == 1
    assert uow.commits == 0


async def test_moving_keywords_updates_both_clusters_and_stays_in_the_sector() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    shoes, shoe_ids = clustered(uow, place, SHOES, "Shoes")
    coffee, _ = clustered(uow, place, COFFEE, "Coffee")
    reply = await cluster_edits.move_keywords(MoveKeywords(
        account_id=place.account_id, keyword_ids=shoe_ids[:1], cluster_id=coffee), uow)
    assert isinstance(reply, MovedKeywords)
    assert reply.count == 1
    assert reply.cluster is not None
    assert (reply.cluster.id, reply.cluster.keyword_count) == (coffee, 5)
    assert uow.tables.clusters[shoes]["keyword_count"] == 3
    assert changed(uow) == [("keywords_moved", sorted([shoes, coffee]))]
    elsewhere = uow.tables.add_keyword(place.other_sector(), "moka pot")
    refused = await cluster_edits.move_keywords(MoveKeywords(
        account_id=place.account_id, keyword_ids=[elsewhere], cluster_id=coffee), uow)
    assert refusal(refused) == (400, {"keyword_ids": [
        "Keywords can only join a cluster of their own sector."]})
    out = await cluster_edits.move_keywords(MoveKeywords(
        account_id=place.account_id, keyword_ids=shoe_ids[1:2], cluster_id=None), uow)
    assert out == MovedKeywords(count=1, cluster=None)
    assert uow.tables.keywords[shoe_ids[1]]["cluster_id"] is None
    assert uow.tables.clusters[shoes]["keyword_count"] == 2


async def test_renaming_cleans_the_name_and_a_blank_one_is_refused() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    cluster, _ = clustered(uow, place, SHOES, "Shoes")
    blank = await cluster_edits.update_cluster(UpdateCluster(
        account_id=place.account_id, cluster_id=cluster, name="   "), uow)
    assert refusal(blank) == (400, {"name": ["The name cannot be blank."]})
    assert uow.commits == 0
    reply = await cluster_edits.update_cluster(UpdateCluster(
        account_id=place.account_id, cluster_id=cluster, name=" Running   shoes "), uow)
    assert isinstance(reply, ClusterView)
    assert reply.name == uow.tables.clusters[cluster]["name"] == "Running shoes"
    assert changed(uow) == [("updated", [cluster])]


async def test_deleting_a_cluster_unclusters_its_keywords_and_hides_from_other_sites() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    cluster, ids = clustered(uow, place, SHOES, "Shoes")
    unseen = await cluster_edits.delete_cluster(DeleteCluster(
        account_id=place.account_id, cluster_id=cluster, visible_site_ids=[uuid.uuid4()]), uow)
    assert refusal(unseen) == (404, None)
    reply = await cluster_edits.delete_cluster(DeleteCluster(
        account_id=place.account_id, cluster_id=cluster), uow)
    assert reply == AffectedKeywords(count=4)
    assert uow.tables.clusters == {}
    assert {uow.tables.keywords[k]["cluster_id"] for k in ids} == {None}
    assert changed(uow) == [("deleted", [cluster])]


# -- auto-clustering, local method ---------------------------------------------------------

class RecordedProgress:
    """The progress port: what was reported, in order."""

    def __init__(self) -> None:
        self.phases: list[str] = []

    async def __call__(self, reporter: OperationReporter, phase: str, percent: int,
                       message: str) -> None:
        self.phases.append(phase)


async def no_gateway(query: GetAccountAi) -> AccountAi:
    raise AssertionError("the local method needs no AI settings")


MODELS = AccountModels(ProviderConfig(), SecretBox([SecretBox.generate_key().encode()]))


def auto_cluster(place: Place, keyword_ids: list[uuid.UUID] | None = None) -> AutoClusterKeywords:
    return AutoClusterKeywords(operation_id=uuid.uuid4(), account_id=place.account_id,
                               site_id=place.site_id, sector_id=place.sector_id,
                               keyword_ids=keyword_ids, method="local")


async def run(uow: FakePlannerUnitOfWork, command: AutoClusterKeywords,
              progress: RecordedProgress) -> None:
    """As the consumer runs a command: the handler, then one commit."""
    async with uow:
        await clustering.cluster_keywords(command, uow, progress, MODELS, no_gateway)
        await uow.commit()


def final_state(uow: FakePlannerUnitOfWork) -> PlannerOperationUpdated:
    updates = [e for e in uow.committed_events if isinstance(e, PlannerOperationUpdated)]
    assert updates, "the operation reported nothing"
    return updates[-1]


async def test_local_clustering_groups_a_sectors_unclustered_keywords() -> None:
    uow, place, progress = FakePlannerUnitOfWork(), Place(), RecordedProgress()
    ids = [uow.tables.add_keyword(place, text) for text in SHOES + COFFEE]
    uow.tables.add_keyword(place.other_sector(), "running shoes")
    command = auto_cluster(place)
    await run(uow, command, progress)
    groups = {frozenset(k for k in ids if uow.tables.keywords[k]["cluster_id"] == c)
              for c in uow.tables.clusters}
    assert groups == {frozenset(ids[:4]), frozenset(ids[4:])}
    assert sorted(c["keyword_count"] for c in uow.tables.clusters.values()) == [4, 4]
    assert uow.clusters.locked_sectors == [place.sector_id]
    assert [e for e in uow.committed_events if isinstance(e, KeywordsClustered)] == [
        KeywordsClustered(operation_id=command.operation_id, account_id=place.account_id,
                          site_id=place.site_id, sector_id=place.sector_id, method="local",
                          keywords_clustered=8, clusters_created=2, clusters_updated=0)]
    done = final_state(uow)
    assert (done.operation_id, done.state, done.result) == (command.operation_id, "succeeded", {
        "keywords_clustered": 8, "clusters_created": 2, "clusters_updated": 0})
    assert progress.phases == ["PREP", "CLUSTER", "SAVE"]


async def test_a_new_keyword_joins_the_nearest_existing_cluster() -> None:
    uow, place, progress = FakePlannerUnitOfWork(), Place(), RecordedProgress()
    cluster, _ = clustered(uow, place, SHOES, "My running shoes")
    newcomer = uow.tables.add_keyword(place, "cheap running shoes", volume=1000)
    await run(uow, auto_cluster(place), progress)
    assert uow.tables.keywords[newcomer]["cluster_id"] == cluster
    row = uow.tables.clusters[cluster]
    assert (row["name"], row["keyword_count"], row["total_volume"]) == (
        "My running shoes", 5, 1100)
    assert final_state(uow).result == {"keywords_clustered": 1, "clusters_created": 0,
                                       "clusters_updated": 1}


async def test_nothing_to_cluster_succeeds_without_an_event() -> None:
    uow, place, progress = FakePlannerUnitOfWork(), Place(), RecordedProgress()
    clustered(uow, place, SHOES, "Shoes")
    await run(uow, auto_cluster(place), progress)
    assert not any(isinstance(e, KeywordsClustered) for e in uow.committed_events)
    done = final_state(uow)
    assert (done.state, done.message) == ("succeeded", "No keywords to cluster.")


def auto_cluster_v2(place: Place, **size: object) -> AutoClusterKeywordsV2:
    return AutoClusterKeywordsV2.model_validate({
        "operation_id": uuid.uuid4(), "account_id": place.account_id,
        "site_id": place.site_id, "sector_id": place.sector_id, **size})


async def test_a_cluster_count_gives_exactly_that_many_clusters() -> None:
    uow, place, progress = FakePlannerUnitOfWork(), Place(), RecordedProgress()
    for text in SHOES + COFFEE:
        uow.tables.add_keyword(place, text)
    await run(uow, auto_cluster_v2(place, cluster_count=3), progress)
    assert final_state(uow).result == {"keywords_clustered": 8, "clusters_created": 3,
                                       "clusters_updated": 0}
    assert sum(c["keyword_count"] for c in uow.tables.clusters.values()) == 8


async def test_keywords_per_cluster_sets_the_count() -> None:
    uow, place, progress = FakePlannerUnitOfWork(), Place(), RecordedProgress()
    for text in SHOES + COFFEE:
        uow.tables.add_keyword(place, text)
    await run(uow, auto_cluster_v2(place, keywords_per_cluster=2), progress)
    assert len(uow.tables.clusters) == 4


async def test_more_clusters_than_keywords_fails_the_operation_and_clusters_nothing() -> None:
    uow, place, progress = FakePlannerUnitOfWork(), Place(), RecordedProgress()
    ids = [uow.tables.add_keyword(place, text) for text in SHOES]
    await run(uow, auto_cluster_v2(place, cluster_count=5), progress)
    done = final_state(uow)
    assert done.state == "failed"
    assert done.error == "5 clusters were asked for, more than the 4 keywords to cluster."
    assert uow.tables.clusters == {}
    assert {uow.tables.keywords[k]["cluster_id"] for k in ids} == {None}
    assert not any(isinstance(e, KeywordsClustered) for e in uow.committed_events)
