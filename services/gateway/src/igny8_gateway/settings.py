"""The gateway's own settings (on top of what every service reads; see docs/CONVENTIONS.md)."""

from __future__ import annotations

from datetime import timedelta

from argon2.profiles import RFC_9106_LOW_MEMORY
from pydantic import Field

from igny8_runtime.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"

    # JWT (RFC 8725): Ed25519 keys <kid>.pem in this directory; the newest signs.
    jwt_key_dir: str = ".data/jwt"
    jwt_issuer: str = "igny8"
    jwt_audience: str = "igny8-api"
    access_token_minutes: int = 15
    refresh_token_days: int = 14

    # Login throttling: failed attempts per email and per client address within the window.
    login_window_seconds: int = 900
    login_max_failures_per_email: int = 5
    login_max_failures_per_ip: int = 20

    # argon2id costs (RFC 9106 low-memory profile); tests lower them through the environment.
    argon2_time_cost: int = RFC_9106_LOW_MEMORY.time_cost
    argon2_memory_cost: int = RFC_9106_LOW_MEMORY.memory_cost
    argon2_parallelism: int = RFC_9106_LOW_MEMORY.parallelism

    # How long the signed file_url of a writer image (list/detail) opens it without a token.
    image_link_ttl_seconds: int = Field(default=3600, ge=60, le=7 * 24 * 3600)

    # An operation with no progress for this long is failed (its work died); checked this often.
    operation_stale_after_seconds: int = Field(default=900, ge=60)
    operation_sweep_interval_seconds: float = 60.0

    @property
    def access_ttl(self) -> timedelta:
        return timedelta(minutes=self.access_token_minutes)

    @property
    def refresh_ttl(self) -> timedelta:
        return timedelta(days=self.refresh_token_days)

    @property
    def login_window(self) -> timedelta:
        return timedelta(seconds=self.login_window_seconds)
