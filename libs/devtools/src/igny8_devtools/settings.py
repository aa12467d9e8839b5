"""What ``make run`` and the pytest plugin read from the environment (README: Configuration)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DevSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_", extra="ignore")

    # Servers to use instead of starting embedded ones ("": start embedded ones).
    nats_url: str = Field(default="", validation_alias="NATS_URL")
    database_url: str = Field(default="", validation_alias="DATABASE_URL")
    # make run: its data folder; the services it runs (comma-separated; unset: all; "" or
    # "none": only NATS and PostgreSQL); plain output when NO_COLOR is set (no-color.org).
    data_dir: Path = Path(".data")
    services: str | None = None
    no_color: str = Field(default="", validation_alias="NO_COLOR")
    # Tests: keep the session's database instead of dropping it at the end.
    keep_test_db: bool = False
