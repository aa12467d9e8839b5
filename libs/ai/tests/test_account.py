"""An account's AI settings as the gateway answers them: its own provider (key opened with the
shared secrets key) or the service default, prompt overrides, a short cache, clear failures;
and the fake server refusing a wrong key or an unknown model like OpenAI does."""

from __future__ import annotations

import uuid
from typing import Any

import openai
import pytest

from igny8_ai.account import AccountAiUnavailable, account_ai, forget_account_ai
from igny8_ai.fake_server import FakeOpenAI
from igny8_ai.providers import ProviderConfig
from igny8_contracts.system import AccountAi, GetAccountAi
from igny8_runtime.rpc import OwnerUnavailable, Refused
from igny8_runtime.secrets import SecretBox

BOX = SecretBox([SecretBox.generate_key().encode()])
DEFAULT = ProviderConfig(timeout_seconds=7)
TEMPLATE = "Ideas please: {{clusters}} x {{ideas_per_cluster}}"


class Gateway:
    """Answers GetAccountAi from a dict, counting the questions."""

    def __init__(self, reply: AccountAi | Exception) -> None:
        self.reply = reply
        self.asked: list[GetAccountAi] = []

    async def __call__(self, query: GetAccountAi) -> AccountAi:
        self.asked.append(query)
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


def settings(account_id: uuid.UUID, **fields: Any) -> AccountAi:
    return AccountAi(account_id=account_id, **fields)


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    forget_account_ai()


async def test_an_account_without_settings_gets_the_default_and_its_overrides() -> None:
    account = uuid.uuid4()
    gateway = Gateway(settings(account, configured=False,
                               prompt_overrides={"generate_ideas": TEMPLATE}))
    resolved = await account_ai(gateway, account, DEFAULT, BOX)
    assert resolved.provider is DEFAULT
    assert not resolved.configured
    assert resolved.override_for("generate_ideas") == TEMPLATE
    assert resolved.override_for("auto_cluster") is None
    assert resolved.prompt("generate_ideas").text == TEMPLATE
    assert gateway.asked == [GetAccountAi(account_id=account)]


async def test_an_account_provider_gets_its_key_decrypted_and_the_default_policies() -> None:
    account = uuid.uuid4()
    gateway = Gateway(settings(account, configured=True, kind="openai_compatible",
                               base_url="https://llm.example/v1", model="m-1",
                               embedding_model="", image_model="img-1",
                               api_key_encrypted=BOX.encrypt("sk-account")))
    resolved = await account_ai(gateway, account, DEFAULT, BOX)
    config = resolved.provider
    assert resolved.configured
    assert (config.kind, config.base_url, config.model, config.image_model) == (
        "openai_compatible", "https://llm.example/v1", "m-1", "img-1")
    assert config.embedding_model == DEFAULT.embedding_model
    assert config.api_key is not None and config.api_key.get_secret_value() == "sk-account"
    assert config.timeout_seconds == 7


async def test_answers_are_cached_briefly_per_account() -> None:
    account, other = uuid.uuid4(), uuid.uuid4()
    gateway = Gateway(settings(account, configured=False))
    await account_ai(gateway, account, DEFAULT, BOX)
    await account_ai(gateway, account, DEFAULT, BOX)
    assert len(gateway.asked) == 1
    await account_ai(gateway, account, DEFAULT, BOX, max_age=0)
    gateway.reply = settings(other, configured=False)
    await account_ai(gateway, other, DEFAULT, BOX)
    assert len(gateway.asked) == 3


async def test_a_silent_gateway_is_retryable_a_foreign_key_is_not() -> None:
    account = uuid.uuid4()
    with pytest.raises(AccountAiUnavailable) as silent:
        await account_ai(Gateway(OwnerUnavailable("qry.gateway.ai.get.v1", "no responders")),
                         account, DEFAULT, BOX)
    assert silent.value.retryable
    foreign = SecretBox([SecretBox.generate_key().encode()]).encrypt("sk-x")
    gateway = Gateway(settings(account, configured=True, kind="openai_compatible",
                               base_url="https://llm.example/v1", model="m",
                               api_key_encrypted=foreign))
    with pytest.raises(AccountAiUnavailable) as unreadable:
        await account_ai(gateway, account, DEFAULT, BOX)
    assert not unreadable.value.retryable
    assert "IGNY8_SECRETS_KEYS" in unreadable.value.reason
    refused = Gateway(Refused(GetAccountAi.subject(), 404, "Not found."))
    with pytest.raises(AccountAiUnavailable) as not_found:
        await account_ai(refused, uuid.uuid4(), DEFAULT, BOX)
    assert not not_found.value.retryable


async def test_a_provider_on_a_private_address_is_refused() -> None:
    account = uuid.uuid4()
    gateway = Gateway(settings(account, configured=True, kind="openai_compatible",
                               base_url="http://10.0.0.5:8000/v1", model="m",
                               api_key_encrypted=BOX.encrypt("sk-x")))
    with pytest.raises(AccountAiUnavailable) as refused:
        await account_ai(gateway, account, DEFAULT, BOX)
    assert not refused.value.retryable
    assert "10.0.0.5 is a private address" in refused.value.reason


async def test_the_fake_server_refuses_a_wrong_key_and_an_unknown_model() -> None:
    with FakeOpenAI.running(api_key="sk-right", known_models=frozenset({"m-1"})) as fake:
        def client(key: str) -> openai.AsyncOpenAI:
            return openai.AsyncOpenAI(base_url=fake.base_url, api_key=key, max_retries=0)

        messages: Any = [{"role": "user", "content": "hi"}]
        with pytest.raises(openai.AuthenticationError):
            await client("sk-wrong").chat.completions.create(model="m-1", messages=messages)
        with pytest.raises(openai.NotFoundError):
            await client("sk-right").chat.completions.create(model="m-2", messages=messages)
        answer = await client("sk-right").chat.completions.create(model="m-1", messages=messages)
        assert answer.choices[0].message.content
        records = fake.state.records("/chat/completions")
        assert [r.status for r in records] == [401, 404, 200]
        assert records[-1].authorization == "Bearer sk-right"
        assert records[-1].body["messages"] == messages
