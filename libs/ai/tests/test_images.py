"""Image prompts (offline and shaping), image providers (offline drawing, OpenAI images through
the real ``openai`` client against the fake server, Runware over HTTP against a fake), and the
generator's retries."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import httpx
import pytest
from PIL import Image

from igny8_ai import OFFLINE_MARK, AIContext, AIEngine, ProviderConfig, build_provider
from igny8_ai.fake_server import FakeOpenAI
from igny8_ai.fake_state import Fault, FaultKind
from igny8_ai.functions_base import InvalidAnswer
from igny8_ai.image_prompts import (
    ExtractImagePrompts,
    ImagePlan,
    ImagePromptsRequest,
    article_headings,
    plan_images,
)
from igny8_ai.images import ImageGenerationFailed, ImageGenerator, ImageProviderConfig, as_png
from igny8_ai.limits import RetryPolicy
from igny8_ai.offline_images import placeholder_png
from igny8_ai.runware import RunwareImages
from igny8_ai.schemas import ImagePromptsAnswer

ARTICLE = ("<p>Intro about tents.</p><h2>Choosing a tent</h2><p>Size.</p>"
           "<h2>Setting it <em>up</em></h2><p>Poles.</p><h2>Care &amp; storage</h2><p>Dry it.</p>")
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay_seconds=0.001, max_delay_seconds=0.01)


def picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_placeholder_is_a_real_png_with_the_aspect_ratio_and_deterministic() -> None:
    data = placeholder_png("A tent on a hill at dawn", "1792x1024")
    image = picture(data)
    assert image.format == "PNG"
    assert image.size == (1024, 585)
    assert len(set(image.convert("RGB").get_flattened_data())) > 50  # a picture, not a flat colour
    assert placeholder_png("A tent on a hill at dawn", "1792x1024") == data
    assert placeholder_png("Another prompt", "1792x1024") != data


def test_headings_are_read_as_text() -> None:
    assert article_headings(ARTICLE) == ["Choosing a tent", "Setting it up", "Care & storage"]


async def test_offline_prompts_place_every_image_after_a_distinct_heading() -> None:
    saved: list[ImagePlan] = []

    async def save(answer: ImagePromptsAnswer, request: ImagePromptsRequest, _: Any) -> ImagePlan:
        plan = plan_images(answer, request)
        saved.append(plan)
        return plan

    request = ImagePromptsRequest(title="Camping tents", html=ARTICLE, in_article_count=3)
    outcome = await AIEngine().run(ExtractImagePrompts(save=save), request,
                                   AIContext(account_id="a", provider=build_provider(ProviderConfig())))
    plan = outcome.result
    assert outcome.offline
    assert plan.featured.role == "featured" and plan.featured.position == 0
    assert OFFLINE_MARK in plan.featured.prompt
    assert "Camping tents" in plan.featured.alt_text
    assert [i.heading_index for i in plan.in_article] == [0, 1, 2]
    assert [i.position for i in plan.in_article] == [1, 2, 3]
    assert plan.in_article[1].caption == "Setting it up"
    assert all(i.alt_text and len(i.alt_text) <= 125 for i in plan.images)


def _answer(*in_article: dict[str, Any]) -> ImagePromptsAnswer:
    return ImagePromptsAnswer.model_validate(
        {"featured": {"prompt": "header"}, "in_article": list(in_article)})


def test_placement_by_text_then_position_then_spread_and_ordered_in_the_article() -> None:
    request = ImagePromptsRequest(title="Tents", html=ARTICLE, in_article_count=3)
    plan = plan_images(_answer(
        {"prompt": "c", "after_heading": "care & STORAGE"},
        {"prompt": "a", "position": 1, "alt_text": "Two people pitching a tent"},
        {"prompt": "x", "after_heading": "No such heading"},
    ), request)
    assert [(i.prompt, i.heading_index, i.position) for i in plan.in_article] == [
        ("a", 0, 1), ("x", 1, 2), ("c", 2, 3)]
    assert plan.in_article[0].alt_text == "Two people pitching a tent"
    assert plan.in_article[1].alt_text == "Illustration: Setting it up"
    assert plan.featured.caption == "Tents"


def test_extra_prompts_dropped_too_few_refused_no_headings_means_the_end() -> None:
    request = ImagePromptsRequest(title="T", html="<p>No headings</p>", in_article_count=1)
    plan = plan_images(_answer({"prompt": "a"}, {"prompt": "b"}), request)
    assert [(i.prompt, i.heading_index) for i in plan.in_article] == [("a", None)]
    with pytest.raises(InvalidAnswer):
        plan_images(_answer(), request)


async def test_openai_images_through_the_real_client_b64_and_a_retried_429(fake: FakeOpenAI) -> None:
    config = ImageProviderConfig(kind="openai_compatible", base_url=fake.base_url, api_key="k",
                                 retry=FAST_RETRY)
    generator = ImageGenerator(config)
    fake.inject(Fault(FaultKind.RATE_LIMIT, retry_after=0.01))
    try:
        result = await generator.generate("a tent", "1024x1024", "acc")
    finally:
        await generator.aclose()
    assert result.png.startswith(b"\x89PNG") and result.mime_type == "image/png"
    assert result.attempts == 2 and result.model == "dall-e-3" and result.priced
    assert [r.status for r in fake.state.records("/images/generations")] == [429, 200]


async def test_a_provider_that_keeps_failing_gives_up_after_the_retry_budget(fake: FakeOpenAI) -> None:
    config = ImageProviderConfig(kind="openai_compatible", base_url=fake.base_url, api_key="k",
                                 retry=FAST_RETRY)
    generator = ImageGenerator(config)
    fake.inject(*[Fault(FaultKind.SERVER_ERROR)] * 3)
    try:
        with pytest.raises(ImageGenerationFailed) as failed:
            await generator.generate("a tent", "1024x1024", "acc")
    finally:
        await generator.aclose()
    assert failed.value.attempts == 3 and "HTTP 500" in failed.value.reason


def _runware(handler: Any) -> RunwareImages:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return RunwareImages("rw-key", base_url="https://runware.test/v1", client=client)


async def test_runware_request_shape_and_base64_answer() -> None:
    seen: list[Any] = []
    png = placeholder_png("x", "256x256")

    def handler(request: httpx.Request) -> httpx.Response:
        tasks = json.loads(request.content)
        seen.append(tasks)
        return httpx.Response(200, json={"data": [{
            "taskType": "imageInference", "taskUUID": tasks[1]["taskUUID"],
            "imageUUID": "u1", "imageBase64Data": base64.b64encode(png).decode()}]})

    image = await _runware(handler).generate_image("a tent at dawn", "1792x1024")
    assert image.png == png
    auth, task = seen[0]
    assert auth == {"taskType": "authentication", "apiKey": "rw-key"}
    assert task["taskType"] == "imageInference" and task["positivePrompt"] == "a tent at dawn"
    assert (task["width"], task["height"]) == (1792, 1024)
    assert task["outputType"] == "base64Data" and task["outputFormat"] == "PNG"
    assert task["model"] == "runware:101@1" and task["numberResults"] == 1


async def test_runware_url_answer_is_downloaded_and_jpeg_becomes_png(fake: FakeOpenAI) -> None:
    digest = fake.state.store_image("tent seed")
    url = f"{fake.state.public_url}/_fake/images/{digest}.png"

    def handler(request: httpx.Request) -> httpx.Response:
        task = json.loads(request.content)[1]
        return httpx.Response(200, json={"data": [{"taskType": "imageInference",
                                                   "taskUUID": task["taskUUID"], "imageURL": url}]})

    config = ImageProviderConfig(kind="runware", api_key="rw-key", retry=FAST_RETRY)
    generator = ImageGenerator(config, backend=_runware(handler), allow_loopback=True)
    try:
        result = await generator.generate("a tent", "1024x1024", "acc")
    finally:
        await generator.aclose()
    assert picture(result.png).format == "PNG"
    jpeg = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(jpeg, format="JPEG")
    assert picture(as_png(jpeg.getvalue())).format == "PNG"


async def test_runware_errors_auth_is_final_rate_limit_is_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(429, headers={"retry-after": "0"},
                                  json={"errors": [{"code": "rateLimit", "message": "slow down"}]})
        return httpx.Response(401, json={"errors": [{"code": "invalidApiKey",
                                                     "message": "Invalid API key"}]})

    config = ImageProviderConfig(kind="runware", api_key="rw-key", retry=FAST_RETRY)
    generator = ImageGenerator(config, backend=_runware(handler))
    with pytest.raises(ImageGenerationFailed) as failed:
        await generator.generate("a tent", "1024x1024", "acc")
    assert len(calls) == 2 and failed.value.attempts == 2
    assert "HTTP 401 from Runware: Invalid API key" in failed.value.reason


async def test_offline_generator_draws_and_needs_no_key() -> None:
    generator = ImageGenerator(ImageProviderConfig())
    result = await generator.generate("Tents in the snow", generator.size_for("featured"), "acc")
    assert result.offline and result.model == "offline" and picture(result.png).size == (1024, 585)
    with pytest.raises(ValueError, match="api_key is required"):
        ImageProviderConfig(kind="runware")


@pytest.mark.parametrize(("url", "reason"), [
    ("http://10.1.2.3/a.png", "private address"),
    ("http://127.0.0.1:9/a.png", "loopback address"),
    ("http://169.254.169.254/latest/meta-data", "cloud metadata address"),
    ("ftp://93.184.216.34/a.png", "not http(s)"),
    ("http://93.184.216.34/a.png", "cloud metadata address"),  # redirected there
])
async def test_image_urls_from_a_provider_are_held_to_the_ssrf_policy(url: str, reason: str) -> None:
    fetched: list[str] = []

    def site(request: httpx.Request) -> httpx.Response:
        fetched.append(str(request.url))
        return httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data"})

    def answer_url(request: httpx.Request) -> httpx.Response:
        task = json.loads(request.content)[1]
        return httpx.Response(200, json={"data": [{"taskType": "imageInference",
                                                   "taskUUID": task["taskUUID"], "imageURL": url}]})

    config = ImageProviderConfig(kind="runware", api_key="rw-key", retry=FAST_RETRY)
    generator = ImageGenerator(config, backend=_runware(answer_url), allow_loopback=False)
    generator._http = httpx.AsyncClient(transport=httpx.MockTransport(site))
    with pytest.raises(ImageGenerationFailed) as failed:
        await generator.generate("a tent", "1024x1024", "acc")
    await generator.aclose()
    assert reason in failed.value.reason and failed.value.attempts == 1  # refused: not retried
    assert fetched == ([url] if url.startswith("http://93.") else [])


def test_a_long_alt_text_is_cut_at_a_word_boundary() -> None:
    request = ImagePromptsRequest(title="Tents", html=ARTICLE, in_article_count=1)
    long_alt = ("A family of four pitching a large green dome tent on a windy hillside at "
                "dusk, with mountains behind them and a campfire beginning to glow nearby")
    plan = plan_images(_answer({"prompt": "a", "alt_text": long_alt}), request)
    alt = plan.in_article[0].alt_text
    assert len(alt) <= 125 and alt.endswith("…")
    assert long_alt.startswith(alt.removesuffix("…"))
    assert long_alt[len(alt) - 1] == " "  # the cut fell between two words
