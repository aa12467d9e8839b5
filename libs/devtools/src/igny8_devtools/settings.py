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
    # make run: a service's port (unset: the one it used last time, else its default).
    gateway_port: int | None = Field(default=None, ge=1, le=65535)
    billing_port: int | None = Field(default=None, ge=1, le=65535)
    planner_port: int | None = Field(default=None, ge=1, le=65535)
    writer_port: int | None = Field(default=None, ge=1, le=65535)
    publisher_port: int | None = Field(default=None, ge=1, le=65535)
    automation_port: int | None = Field(default=None, ge=1, le=65535)
    # Tests: keep the session's database instead of dropping it at the end.
    keep_test_db: bool = False

    def service_ports(self) -> dict[str, int]:
        """The ports a person set for ``make run`` (``IGNY8_<SERVICE>_PORT``), by service."""
        chosen = {"gateway": self.gateway_port, "billing": self.billing_port,
                  "planner": self.planner_port, "writer": self.writer_port,
                  "publisher": self.publisher_port, "automation": self.automation_port}
        return {name: port for name, port in chosen.items() if port is not None}
