"""``/api/v1/system/``: the account's AI provider settings (``settings/ai/``, with a connection
test) and AI prompts (``prompts/``: the defaults, the account's overrides, reset). Every member
reads; owners and admins change. The provider key is write-only: answers say whether one is
set (and, to owners and admins, its last four characters)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Body as BodyParam
from fastapi import Path
from fastapi.responses import JSONResponse
from pydantic import StringConstraints
from starlette.requests import Request

from igny8_gateway.domain.ai_settings import (
    DEFAULT_EMBEDDING_MODEL,
    DEFAULT_IMAGE_MODEL,
    DEFAULT_MODEL,
    FieldErrors,
    ProviderChoice,
    ProviderKind,
)
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import CurrentActor, Uow
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.views import (
    AiConnectionReport,
    AiSettingsView,
    PromptView,
    ai_settings_view,
    connection_report,
    prompt_view,
)
from igny8_gateway.service_layer import ai_settings, prompts
from igny8_runtime.http import runtime_of
from igny8_runtime.responses import ApiError, Listing, Ok, ok, paginated
from igny8_runtime.secrets import SecretBox

router = api_router("/api/v1/system", "system")
routers = (router,)

Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]
Model = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
ApiKey = Annotated[str, StringConstraints(max_length=1000)]
PromptKey = Annotated[str, Path(max_length=100)]


class AiSettingsBody(Body):
    kind: ProviderKind
    base_url: Url | None = None
    model: Model = DEFAULT_MODEL
    embedding_model: Model = DEFAULT_EMBEDDING_MODEL
    image_model: Model = DEFAULT_IMAGE_MODEL
    api_key: ApiKey | None = None  # write-only; omitted or null keeps the stored key

    def choice(self) -> ProviderChoice:
        return ProviderChoice(kind=self.kind, base_url=self.base_url, model=self.model,
                              embedding_model=self.embedding_model,
                              image_model=self.image_model, api_key=self.api_key)


class PromptBody(Body):
    template: str


@contextmanager
def field_errors() -> Iterator[None]:
    """``FieldErrors`` as a 400 carrying every field's messages."""
    try:
        yield
    except FieldErrors as exc:
        raise ApiError(400, exc.message, exc.errors) from exc


def secret_box(request: Request) -> SecretBox:
    return runtime_of(request).get(SecretBox)


# ----------------------------------------------------------------------- AI provider settings

@router.get("/settings/ai/", response_model=Ok[AiSettingsView],
            summary="The account's AI provider settings (never the key)")
async def get_ai_settings(actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(ai_settings_view(await ai_settings.get_settings(uow, actor), actor))


@router.put("/settings/ai/", response_model=Ok[AiSettingsView],
            summary="Set the account's AI provider (owners and admins)")
async def save_ai_settings(request: Request, body: AiSettingsBody, actor: CurrentActor,
                           uow: Uow) -> JSONResponse:
    with field_errors():
        saved = await ai_settings.save_settings(uow, actor, body.choice(), secret_box(request))
    return ok(ai_settings_view(saved, actor), "AI settings saved.")


@router.delete("/settings/ai/", response_model=Ok[AiSettingsView],
               summary="Back to the platform default provider; deletes the key")
async def delete_ai_settings(actor: CurrentActor, uow: Uow) -> JSONResponse:
    removed = await ai_settings.remove_settings(uow, actor)
    return ok(ai_settings_view(None, actor),
              "AI settings removed." if removed else "No AI settings were stored.")


@router.post("/settings/ai/test/", response_model=Ok[AiConnectionReport],
             summary="Test the saved settings, or the settings in the body without saving them")
async def check_ai_connection(
    request: Request, actor: CurrentActor, uow: Uow,
    body: Annotated[AiSettingsBody | None, BodyParam()] = None,
) -> JSONResponse:
    with field_errors():
        report = await ai_settings.test_connection_of(uow, actor, body.choice() if body else None,
                                                 secret_box(request))
    return ok(connection_report(report), report.message)


# ---------------------------------------------------------------------------------- prompts

@router.get("/prompts/", response_model=Listing[PromptView],
            summary="Every AI prompt: default, the account's template, variables")
async def list_prompts(request: Request, actor: CurrentActor, uow: Uow) -> JSONResponse:
    found = [prompt_view(p) for p in await prompts.list_prompts(uow, actor)]
    return paginated(request, found, len(found), 1, max(len(found), 1))


@router.get("/prompts/{prompt_type}/", response_model=Ok[PromptView], summary="One AI prompt")
async def get_prompt(prompt_type: PromptKey, actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(prompt_view(await prompts.get_prompt(uow, actor, prompt_type)))


@router.put("/prompts/{prompt_type}/", response_model=Ok[PromptView],
            summary="Override a prompt for the account (variables checked; owners and admins)")
async def override_prompt(prompt_type: PromptKey, body: PromptBody, actor: CurrentActor,
                          uow: Uow) -> JSONResponse:
    with field_errors():
        saved = await prompts.override_prompt(uow, actor, prompt_type, body.template)
    return ok(prompt_view(saved), "Prompt saved.")


@router.post("/prompts/{prompt_type}/reset/", response_model=Ok[PromptView],
             summary="Back to the system default prompt")
async def reset_prompt(prompt_type: PromptKey, actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(prompt_view(await prompts.reset_prompt(uow, actor, prompt_type)),
              "Prompt reset to the default.")
