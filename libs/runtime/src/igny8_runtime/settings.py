"""Settings every service reads from the environment (see docs/CONVENTIONS.md)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PORTS = {"gateway": 8000, "planner": 8001, "writer": 8002, "billing": 8003, "publisher": 8004,
                 "automation": 8005}


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_", extra="ignore")

    service_name: str = "igny8"
    database_url: str = Field(default="postgresql://localhost/igny8", validation_alias="DATABASE_URL")
    nats_url: str = Field(default="nats://127.0.0.1:4222", validation_alias="NATS_URL")
    http_host: str = "127.0.0.1"
    http_port: int | None = None
    log_level: str = "INFO"
    log_json: bool = True
    traces_exporter: str = Field(default="none", validation_alias="OTEL_TRACES_EXPORTER")

    # JetStream replicas per stream: 1 for a single server, 3 on the k8s NATS cluster.
    stream_replicas: int = 1
    # Consumers: bounded retries with exponential backoff, then the dead-letter stream.
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.5
    consumer_backoff_max_seconds: float = 30.0
    # A fault of PostgreSQL or NATS spends no attempt: the handler runs again with backoff (the
    # same first delay, doubling up to this cap) until the infrastructure answers.
    consumer_infrastructure_retry_max_seconds: float = 5.0
    consumer_ack_wait_seconds: float = 30.0
    consumer_batch_size: int = 20
    # Messages one consumer processes at once (per process).
    consumer_max_workers: int = 8
    # Request/reply: how long the caller waits for the owner of a query.
    rpc_timeout_seconds: float = 3.0
    # Outbox relay: poll interval when no NOTIFY arrives; batch size.
    relay_poll_seconds: float = 1.0
    relay_batch_size: int = 200
    max_body_bytes: int = 1_000_000
    # multipart/form-data bodies (file uploads, streamed to the object store) may be larger.
    max_upload_bytes: int = 256 * 1024 * 1024
    # How many requests (queries) a service answers at once.
    rpc_max_workers: int = 16

    def port(self) -> int:
        return self.http_port or DEFAULT_PORTS.get(self.service_name, 8000)
