"""The writer's core handlers, run as the runtime runs them but on the in-memory unit of work
(``fakes.FakeWriter``): tasks, content edits and versions, the review workflow, article
generation with the offline provider, and deletion. No PostgreSQL, no NATS."""

from __future__ import annotations

import uuid

import pytest

from igny8_contracts import QueryResult, pricing
from igny8_contracts.messages import QueryError
from igny8_contracts.operations import WriterOperationUpdated
from igny8_contracts.planner import IdeasQueued, QueuedIdea, TargetKeyword
from igny8_contracts.usage import WriterAiUsageRecorded
from igny8_contracts.writer import (
    AffectedTasks,
    ChangeContentStatus,
    ContentApproved,
    ContentGeneratedV2,
    ContentStatusChanged,
    ContentView,
    CreateTask,
    DeleteContent,
    DeletedContent,
    DeleteTasks,
    EditContent,
    GenerateContent,
    NewTask,
    RestoreContentVersion,
    TaskChanges,
    TaskReservation,
    TaskView,
    UpdateTask,
)
from services.writer.tests.fakes import FakeWriter

ACCOUNT = uuid.uuid4()
SITE, OTHER_SITE = uuid.uuid4(), uuid.uuid4()


@pytest.fixture
def writer() -> FakeWriter:
    return FakeWriter()


def refusal(answer: object) -> QueryError:
    assert isinstance(answer, QueryResult), answer
    assert not answer.ok
    assert answer.error is not None
    return answer.error


def _idea(title: str, **extra: object) -> QueuedIdea:
    return QueuedIdea.model_validate({
        "id": uuid.uuid4(), "site_id": SITE, "sector_id": uuid.uuid4(),
        "cluster_id": uuid.uuid4(), "cluster_name": "Trail running", "title": title,
        "outline": "Intro; fit; grip.", "content_structure": "pillar_page",
        "content_type": "guide", "estimated_word_count": 1500,
        "target_keywords": [TargetKeyword(id=uuid.uuid4(), keyword="trail shoes")], **extra})


# ------------------------------------------------------------------------------ tasks


async def test_ideas_queued_make_one_task_each_and_never_twice(writer: FakeWriter) -> None:
    first, second = _idea("Trail shoes guide"), _idea("Grip explained", estimated_word_count=50)
    await writer.deliver(IdeasQueued(account_id=ACCOUNT, ideas=[first, second]))
    # the same ideas queued again (a new event), with one new idea
    third = _idea("Lacing tips")
    await writer.deliver(IdeasQueued(account_id=ACCOUNT, ideas=[first, second, third]))

    tasks = {t["idea_id"]: t for t in writer.tables.tasks.values()}
    assert len(writer.tables.tasks) == 3
    assert set(tasks) == {first.id, second.id, third.id}
    made = tasks[first.id]
    assert (made["account_id"], made["site_id"], made["title"], made["description"],
            made["status"], made["word_count"], made["content_structure"],
            made["cluster_name"]) == (ACCOUNT, SITE, "Trail shoes guide", "Intro; fit; grip.",
                                      "queued", 1500, "pillar_page", "Trail running")
    assert made["keywords"] == [{"id": str(first.target_keywords[0].id),
                                 "keyword": "trail shoes"}]
    assert tasks[second.id]["word_count"] == 100  # never below the minimum


async def test_a_task_is_created_by_hand_with_its_keywords_once(writer: FakeWriter) -> None:
    made = await writer.ask(CreateTask(account_id=ACCOUNT, task=NewTask(
        site_id=SITE, sector_id=uuid.uuid4(), title="Zebra  boots guide", word_count=900,
        keywords=["Zebra boots", " zebra BOOTS ", "laces"])))

    assert isinstance(made, TaskView)
    assert (made.title, made.word_count, made.status, made.idea_id) == (
        "Zebra boots guide", 900, "queued", None)
    assert [k.keyword for k in made.keywords] == ["Zebra boots", "laces"]
    assert made.id in writer.tables.tasks
    assert writer.journal == ["commit"]


async def test_a_task_is_changed_only_within_the_callers_sites(writer: FakeWriter) -> None:
    task_id = writer.add_task(ACCOUNT, SITE, status="failed", error="the provider timed out")
    changes = TaskChanges(fields=["title", "status"], title="Trail shoes, revised",
                          status="queued")

    outside = await writer.ask(UpdateTask(account_id=ACCOUNT, task_id=task_id,
                                          changes=changes, visible_site_ids=[OTHER_SITE]))
    assert refusal(outside).status == 404
    assert writer.tables.tasks[task_id]["title"] == "Trail shoes"

    changed = await writer.ask(UpdateTask(account_id=ACCOUNT, task_id=task_id,
                                          changes=changes, visible_site_ids=[SITE]))
    assert isinstance(changed, TaskView)
    assert (changed.title, changed.status, changed.error) == ("Trail shoes, revised",
                                                              "queued", "")
    refused = await writer.ask(UpdateTask(account_id=ACCOUNT, task_id=task_id,
                                          changes=TaskChanges(fields=["word_count"])))
    assert (refusal(refused).status, list(refusal(refused).errors or {})) == (400, ["word_count"])


async def test_tasks_are_deleted_only_within_the_callers_sites(writer: FakeWriter) -> None:
    mine = writer.add_task(ACCOUNT, SITE)
    hidden = writer.add_task(ACCOUNT, OTHER_SITE)
    foreign = writer.add_task(uuid.uuid4(), SITE)

    answer = await writer.ask(DeleteTasks(account_id=ACCOUNT, task_ids=[mine, hidden, foreign],
                                          visible_site_ids=[SITE]))

    assert answer == AffectedTasks(count=1)
    assert set(writer.tables.tasks) == {hidden, foreign}


# ------------------------------------------------------------------------------ content


async def test_an_edit_is_sanitised_and_becomes_the_next_version(writer: FakeWriter) -> None:
    content_id = writer.add_content(ACCOUNT, SITE, title="Trail shoes",
                                    html="<p>Old text.</p>")
    editor = uuid.uuid4()

    edited = await writer.ask(EditContent(
        account_id=ACCOUNT, content_id=content_id, title="  Trail   shoes, edited ",
        html='<p onclick="steal()">New text for runners.</p><script>alert(1)</script>',
        edited_by=editor))

    assert isinstance(edited, ContentView)
    assert (edited.title, edited.html, edited.version, edited.word_count) == (
        "Trail shoes, edited", "<p>New text for runners.</p>", 2, 4)
    assert [(v["version"], v["source"], v["html"], v["created_by"])
            for v in writer.tables.versions] == [
        (1, "generated", "<p>Old text.</p>", None),
        (2, "edited", "<p>New text for runners.</p>", editor)]
    # the same title and HTML again: no new version
    unchanged = await writer.ask(EditContent(account_id=ACCOUNT, content_id=content_id,
                                             html="<p>New text for runners.</p>"))
    assert isinstance(unchanged, ContentView)
    assert unchanged.version == 2
    assert len(writer.tables.versions) == 2
    # nothing left once the disallowed markup is gone
    refused = await writer.ask(EditContent(account_id=ACCOUNT, content_id=content_id,
                                           html="<script>alert(1)</script>"))
    assert (refusal(refused).status, list(refusal(refused).errors or {})) == (400, ["html"])
    # outside the caller's sites: 404, nothing changed
    hidden = await writer.ask(EditContent(account_id=ACCOUNT, content_id=content_id,
                                          html="<p>Hidden.</p>", visible_site_ids=[OTHER_SITE]))
    assert refusal(hidden).status == 404
    assert writer.tables.content[content_id]["version"] == 2


async def test_an_earlier_version_is_restored_as_the_next_one(writer: FakeWriter) -> None:
    content_id = writer.add_content(ACCOUNT, SITE, title="Trail shoes", html="<p>First.</p>")
    await writer.ask(EditContent(account_id=ACCOUNT, content_id=content_id,
                                 title="Trail shoes 2", html="<p>Second one.</p>"))
    by = uuid.uuid4()

    restored = await writer.ask(RestoreContentVersion(
        account_id=ACCOUNT, content_id=content_id, restore_version=1, restored_by=by))

    assert isinstance(restored, ContentView)
    assert (restored.version, restored.title, restored.html) == (3, "Trail shoes",
                                                                 "<p>First.</p>")
    assert writer.tables.versions[-1] | {"created_at": None} == {
        "content_id": content_id, "account_id": ACCOUNT, "version": 3, "title": "Trail shoes",
        "html": "<p>First.</p>", "source": "restored", "restored_from": 1, "created_by": by,
        "created_at": None}
    missing = await writer.ask(RestoreContentVersion(account_id=ACCOUNT, content_id=content_id,
                                                     restore_version=9))
    assert refusal(missing).status == 404
    assert len(writer.tables.versions) == 3


async def test_the_review_workflow_refuses_a_wrong_move_and_announces_approval(
        writer: FakeWriter) -> None:
    task_id = writer.add_task(ACCOUNT, SITE)
    content_id = writer.add_content(ACCOUNT, SITE, title="Trail shoes", html="<p>Text.</p>",
                                    task_id=task_id)

    def move(status: str) -> ChangeContentStatus:
        return ChangeContentStatus(account_id=ACCOUNT, content_id=content_id, status=status)

    skipped = await writer.ask(move("approved"))  # a draft goes to review first
    assert (refusal(skipped).status, list(refusal(skipped).errors or {})) == (409, ["status"])
    assert writer.events == []

    in_review = await writer.ask(move("review"))
    approved = await writer.ask(move("approved"))

    assert isinstance(in_review, ContentView)
    assert isinstance(approved, ContentView)
    assert (in_review.status, approved.status) == ("review", "approved")
    assert [(e.previous, e.status) for e in writer.events_of(ContentStatusChanged)] == [
        ("draft", "review"), ("review", "approved")]
    content = writer.tables.content[content_id]
    assert writer.events_of(ContentApproved) == [ContentApproved(
        account_id=ACCOUNT, site_id=SITE, sector_id=content["sector_id"], task_id=task_id,
        content_id=content_id)]


# ------------------------------------------------------------------------------ generation


async def test_an_article_is_generated_offline_for_a_task(writer: FakeWriter) -> None:
    idea_id = uuid.uuid4()
    task_id = writer.add_task(ACCOUNT, SITE, title="Trail shoes for beginners", idea_id=idea_id,
                              keywords=[{"id": None, "keyword": "trail shoes"}], word_count=300)
    operation_id = uuid.uuid4()

    await writer.deliver(GenerateContent(
        operation_id=operation_id, account_id=ACCOUNT,
        tasks=[TaskReservation(task_id=task_id, reservation_key="hold-1", max_words=100_000)]))

    [content] = writer.tables.content.values()
    assert (content["task_id"], content["version"], content["status"], content["offline"],
            content["focus_keyword"], content["operation_id"]) == (
        task_id, 1, "draft", True, "trail shoes", operation_id)
    assert "trail shoes" in content["title"].lower()
    assert content["word_count"] > 0
    assert [(v["content_id"], v["version"], v["source"], v["html"])
            for v in writer.tables.versions] == [(content["id"], 1, "generated", content["html"])]
    task = writer.tables.tasks[task_id]
    assert (task["status"], task["error"], task["operation_id"]) == ("completed", "",
                                                                     operation_id)
    assert writer.events_of(ContentGeneratedV2) == [ContentGeneratedV2(
        operation_id=operation_id, account_id=ACCOUNT, site_id=SITE,
        sector_id=task["sector_id"], task_id=task_id, idea_id=idea_id,
        content_id=content["id"], word_count=content["word_count"], offline=True)]
    [usage] = writer.events_of(WriterAiUsageRecorded)
    assert (usage.reservation_key, usage.operation_type, usage.quantity, usage.succeeded,
            usage.operation_id) == ("hold-1", pricing.CONTENT, content["word_count"], True,
                                    f"{operation_id}:{task_id}")
    final = writer.events_of(WriterOperationUpdated)[-1]
    assert (final.operation_id, final.state, final.percent) == (operation_id, "succeeded", 100)
    assert final.result is not None
    assert (final.result["generated"], final.result["failed"], final.result["offline"]) == (
        1, 0, True)
    assert "offline provider" in final.message
    assert [type(q).__name__ for q in writer.asked] == ["GetAccountAi"]


async def test_a_task_gone_before_generation_fails_and_is_not_charged(
        writer: FakeWriter) -> None:
    operation_id, missing = uuid.uuid4(), uuid.uuid4()

    await writer.deliver(GenerateContent(
        operation_id=operation_id, account_id=ACCOUNT,
        tasks=[TaskReservation(task_id=missing, reservation_key="hold-2", max_words=900)]))

    assert writer.tables.content == {}
    [usage] = writer.events_of(WriterAiUsageRecorded)
    assert (usage.reservation_key, usage.quantity, usage.succeeded) == ("hold-2", 0, False)
    final = writer.events_of(WriterOperationUpdated)[-1]
    assert final.state == "failed"
    assert "no longer exists" in (final.error or "")


# ------------------------------------------------------------------------------ deletion


async def test_deleting_content_removes_its_image_files_after_the_commit(
        writer: FakeWriter) -> None:
    doomed = writer.add_content(ACCOUNT, SITE, title="Trail shoes", html="<p>Text.</p>")
    hidden = writer.add_content(ACCOUNT, OTHER_SITE, title="Hidden", html="<p>Text.</p>")
    for content_id, key in ((doomed, "a.png"), (doomed, "b.png"), (hidden, "c.png")):
        writer.tables.images[uuid.uuid4()] = {"account_id": ACCOUNT, "content_id": content_id,
                                              "storage_key": f"{ACCOUNT}/{key}"}
        await writer.media.put(f"{ACCOUNT}/{key}", b"png", "image/png")

    answer = await writer.ask(DeleteContent(account_id=ACCOUNT, content_ids=[doomed, hidden],
                                            visible_site_ids=[SITE]))

    assert answer == DeletedContent(count=1)
    assert set(writer.tables.content) == {hidden}
    assert {v["content_id"] for v in writer.tables.versions} == {hidden}
    assert [r["storage_key"] for r in writer.tables.images.values()] == [f"{ACCOUNT}/c.png"]
    assert writer.journal == ["commit", f"removed {ACCOUNT}/a.png", f"removed {ACCOUNT}/b.png"]
    assert set(writer.media.files) == {f"{ACCOUNT}/c.png"}
