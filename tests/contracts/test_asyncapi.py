"""Every service's AsyncAPI document can be generated and names what it consumes/answers."""

import importlib
import json

import pytest

from igny8_contracts.billing import GetBalance
from igny8_contracts.identity import AccountCreated
from igny8_runtime.cli import asyncapi_document
from igny8_runtime.settings import ServiceSettings


@pytest.mark.parametrize("name", ["gateway", "planner", "writer", "billing", "publisher",
                                  "automation"])
def test_asyncapi_document_is_generated(name: str) -> None:
    service = importlib.import_module(f"igny8_{name}.app").load()
    document = json.loads(asyncapi_document(service, ServiceSettings(service_name=name)))
    assert document["asyncapi"].startswith("3.")
    assert document["info"]["title"] == f"IGNY8 {name}"


def test_billing_asyncapi_lists_its_subjects() -> None:
    from igny8_billing.app import load

    text = asyncapi_document(load(), ServiceSettings(service_name="billing"))
    assert AccountCreated.subject() in text
    assert GetBalance.subject() in text


def test_automation_asyncapi_lists_what_it_follows_and_answers() -> None:
    from igny8_automation.app import load
    from igny8_contracts.automation import StartAutomationRun
    from igny8_contracts.operations import WriterOperationUpdated
    from igny8_contracts.writer import ContentApproved

    text = asyncapi_document(load(), ServiceSettings(service_name="automation"))
    for subject in (StartAutomationRun.subject(), WriterOperationUpdated.subject(),
                    ContentApproved.subject()):
        assert subject in text
