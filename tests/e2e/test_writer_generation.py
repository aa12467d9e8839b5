"""Article generation through the gateway: credits reserved per task before any AI call (402 and
no call when the account cannot pay), the account's provider reached through the real openai
client (the fake server), a batch where some tasks fail completing the rest, billing capturing
exactly the written articles, hostile model output sanitised before storage, and the offline
default in the author profile's language."""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Iterator

import nats
import pytest

from igny8_ai.fake_server import FakeOpenAI
from igny8_ai.fake_state import Fault, FaultKind
from igny8_contracts.writer import GenerateContent, TaskReservation
from igny8_runtime.operations import send_command
from tests.e2e.idea_fixtures import balance
from tests.e2e.writer_fixtures import (
    PROFILES,
    article_server,
    content_of,
    generated,
    make_task,
    tasks_of,
    use_fake_provider,
    writer_rows,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("writer")]

WORDS_PER_CREDIT = 500
RESERVED_WORDS = 1200 * 3 // 2  # a task's target length and half again


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with article_server() as server:
        yield server


def _settled(gw, member, expected_total: int) -> dict:
    return gw.wait_for(lambda: (b := balance(gw, member))["total_credits"] == expected_total
                       and b["held_credits"] == 0 and b, timeout=30)


def test_a_batch_of_20_with_3_failing_calls_writes_17_and_charges_17(gw, db, team, fake) -> None:
    owner = team.owner
    use_fake_provider(gw, owner, fake)
    sector = team.granted_sector
    tasks = [make_task(gw, owner, sector, title=f"Trail shoes guide {i:02d}",
                       keywords=[f"trail shoes {i:02d}", "grip"]) for i in range(20)]
    before = balance(gw, owner)["total_credits"]
    calls_before = len(fake.state.records("/chat/completions"))
    # Articles are written one after another (the fixture's concurrency 1): the first task
    # meets a 429 on every transport attempt (4), the second a cut-off answer on every answer
    # attempt (3), the third malformed JSON every time (3); retries cannot rescue them.
    fake.inject(*[Fault(FaultKind.RATE_LIMIT, retry_after=0.05)] * 4,
                *[Fault(FaultKind.TRUNCATED)] * 3, *[Fault(FaultKind.MALFORMED_CONTENT)] * 3)

    operation = generated(gw, team.editor, [t["id"] for t in tasks], timeout=120)
    assert operation["state"] == "succeeded", operation
    result = operation["result"]
    assert (result["generated"], result["failed"], result["offline"]) == (17, 3, False)
    assert operation["message"].startswith("17 articles generated, 3 failed.")
    failures = {f["task_id"]: f["reason"] for f in result["failures"]}
    assert list(failures) == [t["id"] for t in tasks[:3]]
    assert "429" in failures[tasks[0]["id"]] and "4 attempt" in failures[tasks[0]["id"]]
    assert "truncated" in failures[tasks[1]["id"]]
    assert "not valid JSON" in failures[tasks[2]["id"]]
    calls = fake.state.records("/chat/completions")[calls_before:]
    assert len(calls) == 4 + 3 + 3 + 17
    assert all(c.body["model"] == "fake-writer-model" for c in calls)

    # tasks: 17 completed with their content, 3 failed with the reason
    by_id = {t["id"]: t for t in tasks_of(gw, owner, sector_id=sector["id"])}
    for task in tasks[:3]:
        assert by_id[task["id"]]["status"] == "failed"
        assert by_id[task["id"]]["error"] == failures[task["id"]]
        assert by_id[task["id"]]["content_id"] is None
    written = content_of(gw, owner, sector_id=sector["id"])
    assert len(written) == 17
    assert {c["task_id"] for c in written} == {t["id"] for t in tasks[3:]}
    assert sorted(result["content_ids"]) == sorted(c["id"] for c in written)
    for task in tasks[3:]:
        assert by_id[task["id"]]["status"] == "completed"
    for item in written:
        keyword = by_id[item["task_id"]]["keywords"][0]["keyword"]
        assert keyword in item["title"] and item["status"] == "draft" and item["version"] == 1
        assert len(item["meta_title"]) <= 60 and len(item["meta_description"]) <= 160
        assert item["meta_description"].endswith("…")
        assert item["slug"] == item["slug"].lower() and " " not in item["slug"]
        assert item["categories"] == ["Guides"] and item["tags"] == [keyword, "tips"]
        assert item["focus_keyword"] == keyword and item["offline"] is False

    # billing captured exactly the 17 articles' usage; the 3 failed reservations released
    charged = sum(math.ceil(min(c["word_count"], RESERVED_WORDS) / WORDS_PER_CREDIT)
                  for c in written)
    assert charged == 17  # short articles: one credit each
    _settled(gw, owner, before - charged)
    usage = writer_rows(db, "SELECT operation_type, succeeded, credits FROM billing.usage_records"
                            " WHERE account_id = :a", a=uuid.UUID(owner.account_id))
    content_usage = [u for u in usage if u["operation_type"] == "content"]
    assert sorted((u["succeeded"], u["credits"]) for u in content_usage) == sorted(
        [(False, 0)] * 3 + [(True, 1)] * 17)
    holds = writer_rows(db, "SELECT status, credits_captured FROM billing.holds WHERE "
                            "account_id = :a AND operation_type = 'content'",
                        a=uuid.UUID(owner.account_id))
    assert len(holds) == 20 and all(h["status"] != "open" for h in holds)


def test_model_output_is_sanitised_before_storage(gw, db, team, fake) -> None:
    owner = team.owner
    use_fake_provider(gw, owner, fake)
    task = make_task(gw, owner, team.granted_sector, keywords=["trail shoes"])
    operation = generated(gw, owner, [task["id"]])
    assert operation["state"] == "succeeded", operation
    rows = writer_rows(db, "SELECT c.html, v.html AS version_html FROM writer.content c JOIN "
                           "writer.content_versions v ON v.content_id = c.id WHERE c.task_id = :t",
                       t=uuid.UUID(task["id"]))
    assert len(rows) == 1
    for stored in (rows[0]["html"], rows[0]["version_html"]):
        lowered = stored.lower()
        for banned in ("<script", "alert(", "onclick", "onerror", "javascript:", "<iframe",
                       "evil.example", "steal()"):
            assert banned not in lowered, (banned, stored)
        assert "<h2>Why trail shoes matters</h2>" in stored
        assert '<img src="https://img.example/a.png" alt="a">' in stored


def test_insufficient_credits_is_402_before_any_ai_call(gw, db, team, fake) -> None:
    owner = team.owner
    use_fake_provider(gw, owner, fake)
    # 20,000 words each: 30,000 reserved = 60 credits a task; the free plan has 100.
    tasks = [make_task(gw, owner, team.granted_sector, word_count=20_000) for _ in range(2)]
    before = balance(gw, owner)
    requests_before = fake.state.request_count

    body = {"task_ids": [t["id"] for t in tasks]}
    # The estimate prices the same holds (2 x 60) against what is available, holding nothing.
    estimate = gw.ok(gw.call("POST", "/api/v1/writer/tasks/generate_content/estimate/", owner,
                             json=body))
    assert estimate == {"credits": 120, "available_credits": before["available_credits"],
                        "enough": False}
    assert balance(gw, owner)["held_credits"] == 0

    refused = gw.fail(gw.call("POST", "/api/v1/writer/tasks/generate_content/", owner,
                              json=body), 402)
    # The whole batch's cost and what was available before it, not one task's hold.
    assert refused["errors"]["cost"] == ["120"]
    assert refused["errors"]["available"] == [str(before["available_credits"])]
    assert "needs 120 credits" in refused["error"]
    assert fake.state.request_count == requests_before
    after = balance(gw, owner)
    assert (after["total_credits"], after["held_credits"]) == (before["total_credits"], 0)
    assert all(t["status"] == "queued" for t in tasks_of(gw, owner))
    assert writer_rows(db, "SELECT id FROM writer.content WHERE account_id = :a",
                       a=uuid.UUID(owner.account_id)) == []
    held = writer_rows(db, "SELECT status FROM billing.holds WHERE account_id = :a AND "
                           "operation_type = 'content'", a=uuid.UUID(owner.account_id))
    assert all(h["status"] == "released" for h in held)


def test_offline_default_writes_in_the_author_profiles_language(gw, team) -> None:
    owner = team.owner
    profile = gw.ok(gw.call("POST", PROFILES, owner, json={
        "name": "Greta", "tone": "friendly", "language": "de-DE",
        "structure_template": {"sections": ["Einleitung", "Fazit"]}}), 201)
    task = make_task(gw, owner, team.granted_sector, keywords=["wanderschuhe"],
                     title="Wanderschuhe richtig wählen")
    before = balance(gw, owner)["total_credits"]
    operation = generated(gw, team.editor, [task["id"]], author_profile_id=profile["id"])
    assert operation["state"] == "succeeded", operation
    assert operation["result"]["offline"] is True
    assert "offline provider" in operation["message"]
    [article] = content_of(gw, owner, task_id=task["id"])
    assert article["language"] == "de-DE"
    assert article["author_profile_id"] == profile["id"]
    assert "wanderschuhe" in article["title"].lower() and article["offline"] is True
    assert article["word_count"] > 500
    spent = math.ceil(min(article["word_count"], RESERVED_WORDS) / WORDS_PER_CREDIT)
    _settled(gw, owner, before - spent)
    # a foreign profile is 404, before anything is reserved
    stranger = gw.register("stranger")
    foreign = gw.ok(gw.call("POST", PROFILES, stranger, json={"name": "Other"}), 201)
    gw.fail(gw.call("POST", "/api/v1/writer/tasks/generate_content/", owner,
                    json={"task_ids": [task["id"]], "author_profile_id": foreign["id"]}), 404)


def test_the_accounts_prompt_override_and_profile_reach_the_provider(gw, team, fake) -> None:
    owner = team.owner
    use_fake_provider(gw, owner, fake)
    mark = "ACCOUNT-ARTICLE-PROMPT-5e2"
    template = (f"{mark}. Idea (JSON): {{{{idea}}}}\nPrimary keyword: {{{{primary_keyword}}}}\n"
                "Write everything (title, body) in {{language}}. Tone: {{tone}}.\n")
    gw.ok(gw.call("PUT", "/api/v1/system/prompts/generate_content/", owner,
                  json={"template": template}))
    profile = gw.ok(gw.call("POST", PROFILES, owner, json={
        "name": "Lucía", "tone": "playful", "language": "es"}), 201)
    task = make_task(gw, owner, team.granted_sector, keywords=["zapatillas de trail"],
                     title="Zapatillas de trail para principiantes")
    calls_before = len(fake.state.records("/chat/completions"))

    operation = generated(gw, owner, [task["id"]], author_profile_id=profile["id"])
    assert operation["state"] == "succeeded", operation
    [call] = fake.state.records("/chat/completions")[calls_before:]
    prompt = call.body["messages"][-1]["content"]
    assert prompt.startswith(f"{mark}. Idea (JSON): ")
    assert "Primary keyword: zapatillas de trail\n" in prompt
    assert "in es. Tone: playful." in prompt
    [article] = content_of(gw, owner, task_id=task["id"])
    assert (article["language"], article["offline"]) == ("es", False)
    assert article["title"] == "Zapatillas de trail para principiantes"


def test_a_redelivered_command_settles_nothing_twice(gw, db, team, nats_url) -> None:
    owner = team.owner
    task = make_task(gw, owner, team.granted_sector)
    operation = generated(gw, owner, [task["id"]])
    assert operation["state"] == "succeeded", operation
    operation_id = operation["id"]
    usage_subject = "evt.writer.ai.usage_recorded.v1"

    def usage_events() -> int:
        return len(writer_rows(db, "SELECT id FROM writer.outbox WHERE subject = :s AND "
                                   "payload->'data'->>'operation_id' = :o",
                               s=usage_subject, o=f"{operation_id}:{task['id']}"))

    assert usage_events() == 1
    again = GenerateContent(
        operation_id=uuid.UUID(operation_id), account_id=uuid.UUID(owner.account_id),
        tasks=[TaskReservation(task_id=uuid.UUID(task["id"]),
                               reservation_key=f"{operation_id}:{task['id']}",
                               max_words=RESERVED_WORDS)])
    asyncio.run(_send(nats_url, again))  # a new message id: not deduplicated by the inbox
    gw.wait_for(lambda: len(writer_rows(
        db, "SELECT id FROM writer.outbox WHERE subject = 'evt.writer.operation.updated.v1' "
            "AND payload->'data'->>'operation_id' = :o AND payload->'data'->>'state' = "
            "'succeeded'", o=operation_id)) == 2, timeout=30)
    assert usage_events() == 1
    [article] = content_of(gw, owner, task_id=task["id"])
    assert article["version"] == 1
    final = gw.ok(gw.call("GET", f"/api/v1/operations/{operation_id}/", owner))
    assert (final["result"]["generated"], final["result"]["content_ids"]) == (1, [article["id"]])


async def _send(nats_url: str, command: GenerateContent) -> None:
    nc = await nats.connect(nats_url)
    try:
        await send_command(nc.jetstream(), command, account_id=command.account_id, source="e2e")
    finally:
        await nc.drain()
