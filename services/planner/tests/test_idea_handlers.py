"""Content ideas through the service layer on the in-memory unit of work: written by hand,
queued for the writer, completed by the writer's articles, generated with the offline model."""

from __future__ import annotations

import uuid

import pytest

from igny8_ai import ProviderConfig
from igny8_ai.account import AccountAiUnavailable
from igny8_contracts import QueryResult
from igny8_contracts.operations import PlannerOperationUpdated
from igny8_contracts.planner import (
    CreateIdea,
    GenerateIdeas,
    IdeaChanges,
    IdeasGenerated,
    IdeasQueued,
    IdeaView,
    NewIdea,
    QueuedIdeas,
    QueueIdeasToWriter,
    TargetKeyword,
    UpdateIdea,
)
from igny8_contracts.system import AccountAi, GetAccountAi
from igny8_contracts.usage import PlannerAiUsageRecorded
from igny8_contracts.writer import ContentGeneratedV2
from igny8_planner.adapters.account_models import AccountModels
from igny8_planner.service_layer import idea_completion, idea_requests, ideas
from igny8_runtime.operations import OperationReporter
from igny8_runtime.rpc import OwnerUnavailable, Refused
from igny8_runtime.secrets import SecretBox
from services.planner.tests.fake_uow import FakePlannerUnitOfWork, Place

MODELS = AccountModels(ProviderConfig(), SecretBox([SecretBox.generate_key().encode()]))


def refusal(reply: object) -> tuple[int, dict[str, list[str]] | None]:
    assert isinstance(reply, QueryResult)
    assert reply.error is not None
    return reply.error.status, reply.error.errors


def shoes_cluster(uow: FakePlannerUnitOfWork, place: Place) -> tuple[uuid.UUID, list[uuid.UUID]]:
    ids = [uow.tables.add_keyword(place, text, volume=volume) for text, volume in (
        ("running shoes", 900), ("trail running shoes", 300), ("best running shoes", 500))]
    return uow.tables.add_cluster(place, "Running shoes", ids), ids


async def test_an_idea_made_by_hand_targets_its_clusters_keywords() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    cluster, ids = shoes_cluster(uow, place)
    reply = await idea_requests.create_idea(CreateIdea(account_id=place.account_id, idea=NewIdea(
        cluster_id=cluster, title="  Best   trail shoes ",
        target_keywords=["Trail Running  Shoes", "muddy trails", "trail running shoes"])), uow)
    assert isinstance(reply, IdeaView)
    assert (reply.title, reply.cluster_name, reply.status) == (
        "Best trail shoes", "Running shoes", "new")
    assert reply.target_keywords == [TargetKeyword(id=ids[1], keyword="trail running shoes"),
                                     TargetKeyword(keyword="muddy trails")]
    assert uow.tables.ideas[reply.id]["site_id"] == place.site_id
    assert uow.commits == 1


async def test_an_idea_for_a_cluster_out_of_scope_is_refused() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    cluster, _ = shoes_cluster(uow, place)
    reply = await idea_requests.create_idea(CreateIdea(
        account_id=place.account_id, visible_site_ids=[uuid.uuid4()],
        idea=NewIdea(cluster_id=cluster, title="Hidden")), uow)
    assert refusal(reply) == (404, {"cluster_id": ["not found"]})
    assert uow.tables.ideas == {}


async def test_an_idea_cannot_lose_its_title() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    idea = uow.tables.add_idea(place, "Keep me")
    reply = await idea_requests.update_idea(UpdateIdea(
        account_id=place.account_id, idea_id=idea,
        changes=IdeaChanges(fields=["title", "status"], title=None, status="archived")), uow)
    assert refusal(reply) == (400, {"title": ["may not be empty"]})
    assert (uow.tables.ideas[idea]["title"], uow.tables.ideas[idea]["status"]) == ("Keep me", "new")
    assert uow.commits == 0


def queue(place: Place, *idea_ids: uuid.UUID) -> QueueIdeasToWriter:
    return QueueIdeasToWriter(account_id=place.account_id, idea_ids=list(idea_ids))


async def test_queued_ideas_go_to_the_writer_once() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    cluster, _ = shoes_cluster(uow, place)
    new, archived = (uow.tables.add_idea(place, "New", cluster),
                     uow.tables.add_idea(place, "Archived", cluster, status="archived"))
    done = uow.tables.add_idea(place, "Done", cluster, status="completed")
    reply = await idea_requests.queue_to_writer(queue(place, new, archived, done), uow)
    assert reply == QueuedIdeas(queued=[new, archived], skipped=[done])
    assert [uow.tables.ideas[i]["status"] for i in (new, archived, done)] == [
        "queued", "queued", "completed"]
    [sent] = uow.committed_events
    assert isinstance(sent, IdeasQueued)
    assert [(i.id, i.title, i.cluster_name) for i in sent.ideas] == [
        (new, "New", "Running shoes"), (archived, "Archived", "Running shoes")]
    again = await idea_requests.queue_to_writer(queue(place, new, archived), uow)
    assert again == QueuedIdeas(queued=[], skipped=[new, archived])
    assert len(uow.committed_events) == 1


async def test_many_ideas_travel_in_events_of_at_most_25() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    idea_ids = [uow.tables.add_idea(place, f"Idea {n}") for n in range(30)]
    reply = await idea_requests.queue_to_writer(queue(place, *idea_ids), uow)
    assert isinstance(reply, QueuedIdeas)
    assert len(reply.queued) == 30
    assert [len(e.ideas) for e in uow.committed_events if isinstance(e, IdeasQueued)] == [25, 5]


async def test_one_id_out_of_scope_queues_nothing() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    mine, theirs = uow.tables.add_idea(place, "Mine"), uow.tables.add_idea(Place(), "Theirs")
    reply = await idea_requests.queue_to_writer(queue(place, mine, theirs), uow)
    assert refusal(reply) == (404, None)
    assert uow.tables.ideas[mine]["status"] == "new"
    assert (uow.commits, uow.committed_events) == (0, [])


def article_written(place: Place, idea_id: uuid.UUID | None) -> ContentGeneratedV2:
    return ContentGeneratedV2(operation_id=uuid.uuid4(), account_id=place.account_id,
                              site_id=place.site_id, sector_id=place.sector_id,
                              task_id=uuid.uuid4(), idea_id=idea_id, content_id=uuid.uuid4(),
                              word_count=1200, offline=True)


async def test_an_article_completes_its_idea_but_not_an_archived_one() -> None:
    uow, place = FakePlannerUnitOfWork(), Place()
    queued = uow.tables.add_idea(place, "Queued", status="queued")
    archived = uow.tables.add_idea(place, "Archived", status="archived")
    for idea_id in (queued, archived, None):
        await idea_completion.complete_idea(article_written(place, idea_id), uow)
    assert [uow.tables.ideas[i]["status"] for i in (queued, archived)] == ["completed", "archived"]
    other_account = article_written(Place(), archived)
    uow.tables.ideas[archived]["status"] = "new"
    await idea_completion.complete_idea(other_account, uow)
    assert uow.tables.ideas[archived]["status"] == "new"


# -- generating ideas ----------------------------------------------------------------------

class RecordedProgress:
    def __init__(self) -> None:
        self.phases: list[str] = []

    async def __call__(self, reporter: OperationReporter, phase: str, percent: int,
                       message: str) -> None:
        self.phases.append(phase)


def generate(place: Place, *cluster_ids: uuid.UUID) -> GenerateIdeas:
    return GenerateIdeas(operation_id=uuid.uuid4(), account_id=place.account_id,
                         cluster_ids=list(cluster_ids), ideas_per_cluster=2,
                         reservation_key="ideas:test")


def events(uow: FakePlannerUnitOfWork, kind: type[object]) -> list[object]:
    return [e for e in uow.committed_events if isinstance(e, kind)]


async def test_the_offline_model_generates_ideas_and_settles_its_usage() -> None:
    uow, place, progress = FakePlannerUnitOfWork(), Place(), RecordedProgress()
    cluster, _ = shoes_cluster(uow, place)
    command = generate(place, cluster, uuid.uuid4())

    async def no_settings(query: GetAccountAi) -> AccountAi:
        return AccountAi(account_id=query.account_id, configured=False)

    async with uow:
        await ideas.generate_ideas(command, uow, progress, MODELS, no_settings)
        await uow.commit()
    made = [row for row in uow.tables.ideas.values() if row["cluster_id"] == cluster]
    assert [row["content_structure"] for row in made] == ["cluster_hub", "supporting_page"]
    [generated] = events(uow, IdeasGenerated)
    assert generated == IdeasGenerated(
        operation_id=command.operation_id, account_id=place.account_id, cluster_ids=[cluster],
        idea_ids=[row["id"] for row in made], offline=True)
    [usage] = events(uow, PlannerAiUsageRecorded)
    assert isinstance(usage, PlannerAiUsageRecorded)
    assert (usage.reservation_key, usage.quantity, usage.succeeded) == ("ideas:test", 2, True)
    done = events(uow, PlannerOperationUpdated)[-1]
    assert isinstance(done, PlannerOperationUpdated)
    assert done.state == "succeeded"
    assert "1 clusters no longer exist" in done.message
    assert "offline provider" in done.message
    assert progress.phases[0] == "PREP"


async def test_unusable_ai_settings_fail_the_operation_and_release_the_credits() -> None:
    uow, place, progress = FakePlannerUnitOfWork(), Place(), RecordedProgress()
    cluster, _ = shoes_cluster(uow, place)

    async def refused(query: GetAccountAi) -> AccountAi:
        raise Refused(query.subject(), 400, "not allowed")

    async with uow:
        await ideas.generate_ideas(generate(place, cluster), uow, progress, MODELS, refused)
        await uow.commit()
    assert uow.tables.ideas == {}
    [usage] = events(uow, PlannerAiUsageRecorded)
    assert isinstance(usage, PlannerAiUsageRecorded)
    assert (usage.quantity, usage.succeeded) == (0, False)
    failed = events(uow, PlannerOperationUpdated)[-1]
    assert isinstance(failed, PlannerOperationUpdated)
    assert failed.state == "failed"
    assert failed.error is not None
    assert failed.error.startswith("The account's AI settings:")


async def test_a_gateway_that_does_not_answer_is_retried_later() -> None:
    uow, place, progress = FakePlannerUnitOfWork(), Place(), RecordedProgress()
    cluster, _ = shoes_cluster(uow, place)

    async def silent(query: GetAccountAi) -> AccountAi:
        raise OwnerUnavailable(query.subject(), "no responders")

    with pytest.raises(AccountAiUnavailable):
        await ideas.generate_ideas(generate(place, cluster), uow, progress, MODELS, silent)
    assert uow.tables.ideas == {}
    assert not events(uow, PlannerAiUsageRecorded)
