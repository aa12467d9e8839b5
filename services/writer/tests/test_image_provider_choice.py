import pytest

from igny8_ai import ProviderConfig
from igny8_ai.account import AccountAiResolved
from igny8_ai.images import ImageGenerator, ImageProviderConfig
from igny8_ai.limits import ProviderLimits
from igny8_writer.image_settings import WriterImageSettings, image_provider_for

RUNWARE = ImageProviderConfig(kind="runware", api_key="rw-key")


def test_accounts_without_their_own_provider_get_the_writers_default() -> None:
    assert image_provider_for(AccountAiResolved(ProviderConfig()), RUNWARE) is RUNWARE
    offline_account = AccountAiResolved(ProviderConfig(kind="offline"), configured=True)
    assert image_provider_for(offline_account, RUNWARE) is RUNWARE


def test_an_accounts_openai_provider_draws_its_images_through_the_same_limiter() -> None:
    chat = ProviderConfig(kind="openai_compatible", base_url="http://ai.example/v1",
                          api_key="sk-account", image_model="gpt-image-1",
                          limits=ProviderLimits(max_concurrency=3))
    config = image_provider_for(AccountAiResolved(chat, configured=True), RUNWARE)
    assert (config.kind, config.base_url, config.model) == ("openai_compatible",
                                                            "http://ai.example/v1", "gpt-image-1")
    assert config.api_key is not None and config.api_key.get_secret_value() == "sk-account"
    generator = ImageGenerator(config)
    limiter = generator.limiters.get(chat.name, "acc", chat.limits)
    assert generator.limiters.get(config.name, "acc", config.limits) is limiter


def test_the_default_image_provider_comes_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IGNY8_WRITER_IMAGE_PROVIDER",
                       '{"kind": "runware", "api_key": "rw", "model": "runware:100@1"}')
    monkeypatch.setenv("IGNY8_WRITER_IMAGE_CONCURRENCY", "7")
    settings = WriterImageSettings()
    assert settings.image_provider.kind == "runware"
    assert settings.image_provider.model == "runware:100@1"
    assert settings.image_concurrency == 7
    assert WriterImageSettings.model_fields["image_provider"].default.kind == "offline"
