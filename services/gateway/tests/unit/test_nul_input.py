"""Text with a NUL character is refused as invalid input (400, on its field), in bodies and in
query or path parameters: PostgreSQL stores none, so it would otherwise fail later as a 500."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from starlette.requests import Request

from igny8_gateway.entrypoints.bodies import NUL_MESSAGE, Body, Name
from igny8_gateway.entrypoints.errors import refuse_nul_parameters
from igny8_runtime.responses import ApiError


class ProfileBody(Body):
    name: Name
    template: dict[str, Any] = {}


@pytest.mark.parametrize(("given", "field"), [
    ({"name": "a\x00b"}, "name"),
    ({"name": "a", "template": {"h2": ["x", "y\x00"]}}, "template"),
    ({"name": "a", "template": {"\x00": 1}}, "template"),
])
def test_a_body_with_nul_is_refused_on_its_field(given: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        ProfileBody.model_validate(given)
    assert [(e["loc"], NUL_MESSAGE in e["msg"]) for e in refused.value.errors()] == [
        ((field,), True)]


def test_a_body_without_nul_passes() -> None:
    assert ProfileBody.model_validate({"name": " Ann ", "template": {"a": [1, None]}}).name == "Ann"


def request_for(path: str, query: bytes, path_params: dict[str, str]) -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "query_string": query,
                    "headers": [], "path_params": path_params})


def test_parameters_with_nul_are_refused_by_name() -> None:
    with pytest.raises(ApiError) as refused:
        refuse_nul_parameters(request_for("/x/", b"kind=a%00b&page=1", {}))
    assert (refused.value.status_code, refused.value.errors) == (400, {"kind": [NUL_MESSAGE]})
    with pytest.raises(ApiError) as refused:
        refuse_nul_parameters(request_for("/prompts/a\x00/", b"", {"prompt_type": "a\x00"}))
    assert refused.value.errors == {"prompt_type": [NUL_MESSAGE]}


def test_parameters_without_nul_pass() -> None:
    refuse_nul_parameters(request_for("/x/", b"kind=a%20b", {"id": "1"}))
