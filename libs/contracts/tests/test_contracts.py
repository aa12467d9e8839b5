import uuid

import pytest
from pydantic import ValidationError

from igny8_contracts import Envelope, all_messages, message_for_subject
from igny8_contracts.identity import AccountCreated
from igny8_contracts.snapshots import changed_without_new_version
from igny8_contracts.streams import ALL_STREAMS, stream_for_subject


def test_every_contract_schema_matches_its_frozen_snapshot() -> None:
    assert changed_without_new_version() == []


def test_subjects_follow_naming_and_are_unique() -> None:
    for message in all_messages():
        subject = message.subject()
        kind, owner, *_rest, version = subject.split(".")
        assert kind == {"event": "evt", "command": "cmd", "query": "qry", "request": "req"}[message.kind]
        assert owner in {"gateway", "planner", "writer", "billing", "publisher", "automation"}
        assert version == f"v{message.version}"
        assert message_for_subject(subject) is message


def test_every_event_and_command_has_a_stream() -> None:
    names = {s.name for s in ALL_STREAMS}
    for message in all_messages():
        if message.kind in ("event", "command"):
            assert stream_for_subject(message.subject()).name in names


def test_envelope_round_trip_and_validation() -> None:
    event = AccountCreated(
        account_id=uuid.uuid4(), name="Acme", owner_user_id=uuid.uuid4(),
        owner_email="o@acme.test", plan_slug="free",
    )
    envelope = Envelope.wrap(event, source="igny8/gateway", correlation_id="c-1",
                             account_id=event.account_id)
    again = Envelope.model_validate_json(envelope.model_dump_json())
    assert again.open(AccountCreated) == event
    assert again.type == "com.igny8.evt.gateway.account.created.v1"
    with pytest.raises(ValidationError):
        AccountCreated.model_validate({**event.model_dump(), "surprise": 1})


def test_schema_change_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    from igny8_contracts import snapshots

    real = snapshots.current_schemas

    def altered() -> dict:
        schemas = real()
        schemas[AccountCreated.subject()]["properties"]["extra_field"] = {"type": "string"}
        return schemas

    monkeypatch.setattr(snapshots, "current_schemas", altered)
    problems = snapshots.changed_without_new_version()
    assert any(AccountCreated.subject() in p for p in problems)
