"""The fake server itself, through the real openai client."""

from __future__ import annotations

import base64

import httpx
import openai

from igny8_ai.deterministic import cosine
from igny8_ai.fake_server import FakeOpenAI, hashed_embeddings
from igny8_ai.fake_state import Fault, FaultKind


async def test_chat_embeddings_and_images(fake: FakeOpenAI) -> None:
    client = openai.AsyncOpenAI(base_url=fake.base_url, api_key="k", max_retries=0)
    fake.queue_reply({"hello": "world"})

    chat = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "hi"}], response_format={"type": "json_object"})
    vectors = await client.embeddings.create(
        model="e", input=["running shoes", "shoes for running", "chocolate cake recipe"])
    b64 = await client.images.generate(model="i", prompt="a shoe", response_format="b64_json")
    by_url = await client.images.generate(model="i", prompt="a shoe", response_format="url")
    await client.close()

    assert chat.choices[0].message.content == '{"hello": "world"}' and chat.usage is not None
    shoes, running, cake = (item.embedding for item in vectors.data)
    assert cosine(shoes, running) > 0.99 and cosine(shoes, cake) < 0.5
    assert base64.b64decode(b64.data[0].b64_json or "").startswith(b"\x89PNG")
    async with httpx.AsyncClient() as http:
        png = await http.get(by_url.data[0].url or "")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


async def test_max_tokens_cuts_the_answer_with_finish_reason_length(fake: FakeOpenAI) -> None:
    client = openai.AsyncOpenAI(base_url=fake.base_url, api_key="k", max_retries=0)
    fake.queue_reply({"text": "word " * 200})

    chat = await client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "hi"}], max_tokens=10)
    await client.close()

    assert chat.choices[0].finish_reason == "length" and len(chat.choices[0].message.content or "") == 40


async def test_faults_over_http_for_standalone_use(fake: FakeOpenAI) -> None:
    async with httpx.AsyncClient(base_url=fake.state.public_url) as http:
        await http.post("/_fake/faults", json={"faults": [{"kind": "server_error"}]})
        failed = await http.post("/v1/chat/completions", json={"model": "m", "messages": []})
        stats = (await http.get("/_fake/stats")).json()

    assert failed.status_code == 500
    assert stats["requests"] == 1 and stats["by_status"] == {"500": 1}


def test_a_fault_applies_to_the_next_request_only(fake: FakeOpenAI) -> None:
    fake.inject(Fault(FaultKind.RATE_LIMIT, retry_after=3))
    with httpx.Client(base_url=fake.base_url) as http:
        limited = http.post("/chat/completions", json={"model": "m", "messages": []})
        fine = http.post("/chat/completions", json={"model": "m", "messages": []})

    assert (limited.status_code, limited.headers["retry-after"]) == (429, "3")
    assert fine.status_code == 200


async def test_a_plugged_in_embedder_answers_the_embeddings(fake: FakeOpenAI) -> None:
    seen: list[list[str]] = []

    def lengths(texts: list[str]) -> list[list[float]]:
        seen.append(texts)
        return [[float(len(text)), 1.0] for text in texts]

    fake.embedder = lengths
    try:
        client = openai.AsyncOpenAI(base_url=fake.base_url, api_key="k", max_retries=0)
        floats = await client.embeddings.create(model="e", input=["ab", "abcd"],
                                                encoding_format="float")
        packed = await client.embeddings.create(model="e", input="abc")  # base64 by default
        await client.close()
    finally:
        fake.embedder = hashed_embeddings

    assert [item.embedding for item in floats.data] == [[2.0, 1.0], [4.0, 1.0]]
    assert packed.data[0].embedding == [3.0, 1.0]
    assert seen == [["ab", "abcd"], ["abc"]]
