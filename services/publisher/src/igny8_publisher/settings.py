"""Publisher's own settings (environment, prefix ``IGNY8_PUBLISHER_``)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class PublisherSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_PUBLISHER_", extra="ignore")

    # Development only: let outbound calls reach loopback addresses (a WordPress on this
    # machine). Private, link-local and metadata addresses stay refused regardless.
    allow_loopback: bool = False
    # Development and tests only, like curl's --resolve: host names answered from this map
    # (e.g. '{"wp.test": "127.0.0.1"}') instead of DNS; the SSRF policy still applies.
    resolve: dict[str, str] = {}
    # Outbound HTTP to WordPress: per-request timeout; attempts for transient failures
    # (timeouts, 5xx, 429) with doubling backoff, honouring Retry-After up to the cap.
    http_timeout_seconds: float = 30.0
    http_attempts: int = 4
    http_backoff_seconds: float = 0.5
    http_retry_after_max_seconds: float = 30.0
    # How long to wait for the writer's answer about an article.
    writer_timeout_seconds: float = 10.0


@cache
def publisher_settings() -> PublisherSettings:
    return PublisherSettings()
