"""The account's AI provider settings through the gateway: write-only key stored encrypted,
roles, tenant isolation, field-level validation that writes nothing, the connection test
against the fake OpenAI server (through the real openai client), and the GetAccountAi answer
the services use."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import nats
import pytest
from sqlalchemy import text

from igny8_ai.fake_server import FakeOpenAI
from igny8_contracts import Envelope, QueryResult
from igny8_contracts.system import GetAccountAi
from igny8_runtime.secrets import SecretBox

pytestmark = pytest.mark.e2e

SETTINGS = "/api/v1/system/settings/ai/"
TEST = "/api/v1/system/settings/ai/test/"
KEY = "sk-account-secret-7f3e"
MODEL = "fake-chat-1"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI.running(api_key=KEY, known_models=frozenset({MODEL})) as server:
        yield server


def openai_settings(fake: FakeOpenAI, **changes: Any) -> dict[str, Any]:
    return {"kind": "openai_compatible", "base_url": fake.base_url, "model": MODEL,
            "api_key": KEY, **changes}


def stored_row(db: Any, account_id: str) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT * FROM gateway.ai_settings WHERE account_id = :a"),
                            {"a": uuid.UUID(account_id)}).first()


def test_a_new_account_uses_the_platform_default(gw, team) -> None:
    data = gw.ok(gw.call("GET", SETTINGS, team.viewer))
    assert data["configured"] is False
    assert data["kind"] == "offline"
    assert data["api_key_set"] is False


def test_the_key_is_write_only_and_stored_encrypted(gw, db, team, fake, secrets_keys) -> None:
    response = gw.call("PUT", SETTINGS, team.owner, json=openai_settings(fake))
    data = gw.ok(response)
    assert KEY not in response.text
    assert "api_key" not in data
    assert (data["configured"], data["kind"], data["base_url"], data["model"]) == (
        True, "openai_compatible", fake.base_url, MODEL)
    assert data["api_key_set"] is True
    assert data["api_key_last4"] == KEY[-4:]

    row = stored_row(db, team.owner.account_id)
    assert row.api_key_encrypted and KEY not in row.api_key_encrypted
    box = SecretBox([secrets_keys.encode()])
    assert box.decrypt(row.api_key_encrypted) == KEY

    # every member reads it; only owners and admins see the last four characters
    for member in (team.owner, team.admin, team.editor, team.viewer):
        response = gw.call("GET", SETTINGS, member)
        seen = gw.ok(response)
        assert KEY not in response.text
        assert row.api_key_encrypted not in response.text
        assert seen["api_key_set"] is True
        assert ("api_key_last4" in seen) == (member in (team.owner, team.admin))

    # a PUT without the key keeps it
    changed = gw.ok(gw.call("PUT", SETTINGS, team.admin,
                            json={"kind": "openai_compatible", "base_url": fake.base_url,
                                  "model": "other-model"}))
    assert (changed["model"], changed["api_key_set"]) == ("other-model", True)
    assert box.decrypt(stored_row(db, team.owner.account_id).api_key_encrypted) == KEY


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_editors_and_viewers_cannot_change_or_test_settings(gw, db, team, fake, role) -> None:
    member = team.member(role)
    gw.fail(gw.call("PUT", SETTINGS, member, json=openai_settings(fake)), 403)
    gw.fail(gw.call("DELETE", SETTINGS, member), 403)
    gw.fail(gw.call("POST", TEST, member, json=openai_settings(fake)), 403)
    assert stored_row(db, team.owner.account_id) is None


def test_another_account_never_sees_the_settings(gw, db, team, fake, nats_url) -> None:
    gw.ok(gw.call("PUT", SETTINGS, team.owner, json=openai_settings(fake)))
    stranger = gw.register("stranger")
    assert gw.ok(gw.call("GET", SETTINGS, stranger))["configured"] is False
    gw.ok(gw.call("DELETE", SETTINGS, stranger))  # removes only its own (nothing)
    assert stored_row(db, team.owner.account_id) is not None
    # the services' query: answered for the account itself, 404 for anyone else
    account = uuid.UUID(team.owner.account_id)
    own = asyncio.run(ask_account_ai(nats_url, account, asked_by=account))
    assert own.ok and own.data["configured"] is True and own.data["api_key_encrypted"]
    assert KEY not in str(own.data)
    foreign = asyncio.run(ask_account_ai(nats_url, account,
                                         asked_by=uuid.UUID(stranger.account_id)))
    assert not foreign.ok and foreign.error is not None and foreign.error.status == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "openai_compatible", "base_url": "ftp://llm.example/v1", "api_key": KEY},
     "base_url"),
    ({"kind": "openai_compatible", "base_url": "https://user:pw@llm.example/v1",
      "api_key": KEY}, "base_url"),
    ({"kind": "openai_compatible", "base_url": "https://llm.example/v1"}, "api_key"),
    ({"kind": "openai_compatible", "base_url": "http://169.254.169.254/v1", "api_key": KEY},
     "base_url"),
    ({"kind": "openai_compatible", "base_url": "http://10.0.0.5:8000/v1", "api_key": KEY},
     "base_url"),
    ({"kind": "openai_compatible", "api_key": KEY, "model": "  "}, "model"),
    ({"kind": "openai_compatible", "api_key": ""}, "api_key"),
    ({"kind": "anthropic"}, "kind"),
    ({"kind": "offline", "surprise": 1}, "surprise"),
    ({"base_url": "https://llm.example/v1"}, "kind"),
])
def test_bad_settings_get_field_errors_and_write_nothing(gw, db, team, body, field) -> None:
    error = gw.fail(gw.call("PUT", SETTINGS, team.owner, json=body), 400)
    assert field in error["errors"], error
    assert stored_row(db, team.owner.account_id) is None
    assert gw.ok(gw.call("GET", SETTINGS, team.owner))["configured"] is False


def test_connection_test_names_what_failed(gw, db, team, fake) -> None:
    owner = team.owner
    good = gw.ok(gw.call("POST", TEST, owner, json=openai_settings(fake)))
    assert (good["ok"], good["outcome"]) == (True, "ok")
    assert isinstance(good["latency_ms"], int)
    assert fake.state.records()[-1].authorization == f"Bearer {KEY}"
    assert stored_row(db, owner.account_id) is None  # testing saves nothing

    wrong_key = gw.ok(gw.call("POST", TEST, owner, json=openai_settings(fake, api_key="sk-no")))
    assert (wrong_key["ok"], wrong_key["outcome"]) == (False, "authentication_rejected")
    unknown_model = gw.ok(gw.call("POST", TEST, owner,
                                  json=openai_settings(fake, model="no-such-model")))
    assert unknown_model["outcome"] == "model_not_found"
    assert "no-such-model" in unknown_model["message"]
    down = gw.ok(gw.call("POST", TEST, owner, json=openai_settings(
        fake, base_url=f"http://127.0.0.1:{closed_port()}/v1")))
    assert down["outcome"] == "unreachable"
    offline = gw.ok(gw.call("POST", TEST, owner, json={"kind": "offline"}))
    assert offline["ok"] is True

    gw.fail(gw.call("POST", TEST, owner), 400)  # nothing saved, nothing sent
    metadata = gw.fail(gw.call("POST", TEST, owner, json=openai_settings(
        fake, base_url="http://169.254.169.254/latest")), 400)  # never called (SSRF)
    assert "metadata" in metadata["errors"]["base_url"][0]
    gw.ok(gw.call("PUT", SETTINGS, owner, json=openai_settings(fake)))
    saved = gw.ok(gw.call("POST", TEST, team.admin))  # the saved settings, stored key
    assert saved["outcome"] == "ok"
    assert fake.state.records()[-1].authorization == f"Bearer {KEY}"
    # a body without a key is tested with the stored key
    other = gw.ok(gw.call("POST", TEST, owner, json={"kind": "openai_compatible",
                                                     "base_url": fake.base_url,
                                                     "model": "no-such-model"}))
    assert other["outcome"] == "model_not_found"
    assert gw.ok(gw.call("GET", SETTINGS, owner))["model"] == MODEL


def test_removing_the_settings_returns_to_the_default_and_deletes_the_key(gw, db, team,
                                                                          fake) -> None:
    gw.ok(gw.call("PUT", SETTINGS, team.owner, json=openai_settings(fake)))
    assert gw.ok(gw.call("DELETE", SETTINGS, team.admin))["configured"] is False
    assert stored_row(db, team.owner.account_id) is None
    assert gw.ok(gw.call("GET", SETTINGS, team.owner))["api_key_set"] is False


# ------------------------------------------------------------------------------ helpers

def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def ask_account_ai(nats_url: str, account_id: uuid.UUID,
                         asked_by: uuid.UUID) -> QueryResult:
    nc = await nats.connect(nats_url)
    try:
        envelope = Envelope.wrap(GetAccountAi(account_id=account_id), source="igny8/e2e",
                                 correlation_id=str(uuid.uuid4()), account_id=asked_by)
        reply = await nc.request(GetAccountAi.subject(), envelope.model_dump_json().encode(),
                                 timeout=10)
        return QueryResult.model_validate_json(reply.data)
    finally:
        await nc.drain()
