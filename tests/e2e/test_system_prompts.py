"""The account's AI prompts through the gateway: every default listed with its variables,
overrides checked on save (field errors, nothing written), roles, tenant isolation, reset."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from igny8_ai.prompts import DEFAULT_PROMPTS

pytestmark = pytest.mark.e2e

PROMPTS = "/api/v1/system/prompts/"
IDEAS_TEMPLATE = ("Write {{ideas_per_cluster}} ideas per cluster for {{clusters}}. "
                  'Answer {"ideas": [...]} only.')


def overrides_in_db(db, account_id: str) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT prompt_key FROM gateway.prompt_overrides WHERE account_id = :a"),
            {"a": uuid.UUID(account_id)}).scalars())


def test_every_default_prompt_is_listed_with_its_variables(gw, module_team) -> None:
    body = gw.listing(gw.call("GET", PROMPTS, module_team.viewer))
    assert body["count"] == len(DEFAULT_PROMPTS)
    by_key = {p["prompt_type"]: p for p in body["results"]}
    assert set(by_key) == set(DEFAULT_PROMPTS)
    for key, default in DEFAULT_PROMPTS.items():
        prompt = by_key[key]
        assert prompt["template"] == prompt["default_template"] == default.text
        assert prompt["is_overridden"] is False
        assert prompt["variables"] == {"required": sorted(default.required),
                                       "optional": sorted(default.optional)}
    one = gw.ok(gw.call("GET", f"{PROMPTS}generate_ideas/", module_team.editor))
    assert one == by_key["generate_ideas"]


def test_override_then_reset_restores_the_default(gw, db, team) -> None:
    saved = gw.ok(gw.call("PUT", f"{PROMPTS}generate_ideas/", team.admin,
                          json={"template": IDEAS_TEMPLATE}))
    assert (saved["template"], saved["is_overridden"]) == (IDEAS_TEMPLATE, True)
    assert saved["default_template"] == DEFAULT_PROMPTS["generate_ideas"].text
    assert saved["updated_at"]
    seen = gw.ok(gw.call("GET", f"{PROMPTS}generate_ideas/", team.viewer))
    assert seen["template"] == IDEAS_TEMPLATE
    listed = {p["prompt_type"]: p for p in gw.listing(
        gw.call("GET", PROMPTS, team.editor))["results"]}
    assert listed["generate_ideas"]["is_overridden"] is True
    assert listed["auto_cluster"]["is_overridden"] is False
    again = gw.ok(gw.call("PUT", f"{PROMPTS}generate_ideas/", team.owner,
                          json={"template": IDEAS_TEMPLATE + " Be brief."}))
    assert again["template"].endswith("Be brief.")
    assert overrides_in_db(db, team.owner.account_id) == ["generate_ideas"]

    reset = gw.ok(gw.call("POST", f"{PROMPTS}generate_ideas/reset/", team.owner))
    assert reset["is_overridden"] is False
    assert reset["template"] == DEFAULT_PROMPTS["generate_ideas"].text
    assert overrides_in_db(db, team.owner.account_id) == []
    # resetting a prompt that is not overridden is harmless
    gw.ok(gw.call("POST", f"{PROMPTS}auto_cluster/reset/", team.owner))


@pytest.mark.parametrize(("template", "fragment"), [
    ("Ideas for {{clusters}} in {{language}} x {{ideas_per_cluster}}", "Unknown variable"),
    ("Ideas for {{clusters}} only", "Missing required variable"),
    ("   ", "empty"),
    ("{{clusters}} {{ideas_per_cluster}} {{Bad Name}}", "Malformed placeholder"),
])
def test_bad_templates_get_field_errors_and_write_nothing(gw, db, team, template,
                                                          fragment) -> None:
    error = gw.fail(gw.call("PUT", f"{PROMPTS}generate_ideas/", team.owner,
                            json={"template": template}), 400)
    assert any(fragment in message for message in error["errors"]["template"]), error
    assert overrides_in_db(db, team.owner.account_id) == []


def test_bad_bodies_and_unknown_prompts(gw, db, team) -> None:
    error = gw.fail(gw.call("PUT", f"{PROMPTS}generate_ideas/", team.owner,
                            json={"template": IDEAS_TEMPLATE, "surprise": 1}), 400)
    assert "surprise" in error["errors"]
    gw.fail(gw.call("PUT", f"{PROMPTS}generate_ideas/", team.owner, json={}), 400)
    for method, path, body in (("GET", f"{PROMPTS}no_such_prompt/", None),
                               ("PUT", f"{PROMPTS}no_such_prompt/", {"template": "x"}),
                               ("POST", f"{PROMPTS}no_such_prompt/reset/", None)):
        gw.fail(gw.call(method, path, team.owner, json=body), 404)
    assert overrides_in_db(db, team.owner.account_id) == []


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_editors_and_viewers_cannot_override_or_reset(gw, db, team, role) -> None:
    member = team.member(role)
    gw.fail(gw.call("PUT", f"{PROMPTS}generate_ideas/", member,
                    json={"template": IDEAS_TEMPLATE}), 403)
    gw.ok(gw.call("PUT", f"{PROMPTS}generate_ideas/", team.owner,
                  json={"template": IDEAS_TEMPLATE}))
    gw.fail(gw.call("POST", f"{PROMPTS}generate_ideas/reset/", member), 403)
    assert overrides_in_db(db, team.owner.account_id) == ["generate_ideas"]


def test_another_account_never_sees_the_overrides(gw, db, team) -> None:
    gw.ok(gw.call("PUT", f"{PROMPTS}generate_ideas/", team.owner,
                  json={"template": IDEAS_TEMPLATE}))
    stranger = gw.register("stranger")
    theirs = gw.ok(gw.call("GET", f"{PROMPTS}generate_ideas/", stranger))
    assert (theirs["is_overridden"], theirs["template"]) == (
        False, DEFAULT_PROMPTS["generate_ideas"].text)
    gw.ok(gw.call("POST", f"{PROMPTS}generate_ideas/reset/", stranger))  # its own only
    assert overrides_in_db(db, team.owner.account_id) == ["generate_ideas"]
