"""The prompt registry: defaults, rendering, and checks on account overrides."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from igny8_ai import (
    DEFAULT_PROMPTS,
    AIContext,
    AIEngine,
    AIFunctionFailed,
    AutoCluster,
    ClusterRequest,
    PromptValidationError,
    resolve_prompt,
    validate_template,
)
from igny8_ai.fake_server import FakeOpenAI
from igny8_ai.providers import OpenAICompatibleProvider
from igny8_ai.schemas import ClusteringAnswer
from igny8_ai.testing import RecordingSave

ProviderFactory = Callable[..., OpenAICompatibleProvider]


@pytest.mark.parametrize(
    "key", ["auto_cluster", "generate_ideas", "generate_content", "extract_image_prompts"]
)
def test_every_default_is_a_valid_template(key: str) -> None:
    validate_template(key, DEFAULT_PROMPTS[key].text)


def test_render_fills_variables_and_leaves_json_braces_alone() -> None:
    text = resolve_prompt("auto_cluster").render(keywords='["a", "b"]', sector="Shoes")

    assert 'Keywords (JSON array): ["a", "b"]' in text and "Sector: Shoes" in text
    assert '{"clusters": [{"name": "..."' in text and "{{" not in text


def test_render_refuses_a_missing_required_variable() -> None:
    with pytest.raises(PromptValidationError) as error:
        resolve_prompt("generate_ideas").render(clusters="[]")

    assert error.value.errors == {"variables": ["missing: ideas_per_cluster"]}


def test_an_unknown_variable_is_refused_with_a_field_error() -> None:
    with pytest.raises(PromptValidationError) as error:
        validate_template("auto_cluster", "Cluster {{keywords}} for {{site_name}} and {{industry}}")

    assert error.value.errors == {"template": [
        "Unknown variable(s): industry, site_name; allowed: keywords, sector."
    ]}


def test_a_missing_required_variable_is_refused() -> None:
    with pytest.raises(PromptValidationError) as error:
        validate_template("generate_ideas", "Ideas for {{clusters}} please")

    assert error.value.errors["template"] == ["Missing required variable(s): ideas_per_cluster."]


def test_malformed_placeholders_and_unknown_keys_are_refused() -> None:
    with pytest.raises(PromptValidationError) as malformed:
        validate_template("auto_cluster", "{{keywords}} {{ Not A Name }}")
    with pytest.raises(PromptValidationError) as unknown:
        validate_template("write_poem", "{{keywords}}")

    assert "Malformed placeholder(s): {{Not A Name}}." in malformed.value.errors["template"]
    assert "unknown prompt 'write_poem'" in unknown.value.errors["prompt_type"][0]


async def test_the_engine_sends_the_accounts_override(
    fake: FakeOpenAI, make_provider: ProviderFactory
) -> None:
    prompts: list[str] = []

    def capture(body: Mapping[str, Any]) -> str:
        prompts.append(body["messages"][-1]["content"])
        return json.dumps({"clusters": [{"name": "Shoes", "keywords": ["running shoes"]}]})

    fake.responder = capture
    override = "MY HOUSE STYLE. Group {{keywords}} into clusters, as JSON."
    context = AIContext(account_id="acc-1", provider=make_provider(), prompt_override=override)

    await AIEngine().run(AutoCluster(save=RecordingSave[ClusteringAnswer]()),
                         ClusterRequest(keywords=["running shoes"]), context)

    assert prompts == ['MY HOUSE STYLE. Group ["running shoes"] into clusters, as JSON.']


async def test_an_invalid_override_fails_before_any_call(
    fake: FakeOpenAI, make_provider: ProviderFactory
) -> None:
    context = AIContext(account_id="acc-1", provider=make_provider(), prompt_override="No variables")

    with pytest.raises(AIFunctionFailed) as failed:
        await AIEngine().run(AutoCluster(save=RecordingSave[ClusteringAnswer]()),
                             ClusterRequest(keywords=["running shoes"]), context)

    assert "Missing required variable(s): keywords" in failed.value.reason
    assert fake.state.request_count == 0
