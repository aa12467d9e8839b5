"""Declare JetStream streams and durable consumers from the contracts (idempotently)."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import BadRequestError, NotFoundError

from igny8_contracts.streams import ALL_STREAMS, StreamSpec


def stream_config(spec: StreamSpec, replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        num_replicas=replicas,
        name=spec.name,
        subjects=list(spec.subjects),
        description=spec.description,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        max_age=spec.max_age_seconds,
        duplicate_window=spec.duplicate_window_seconds,
    )


async def declare_streams(
    js: JetStreamContext, specs: tuple[StreamSpec, ...] = ALL_STREAMS, replicas: int = 1
) -> None:
    for spec in specs:
        config = stream_config(spec, replicas)
        try:
            await js.stream_info(spec.name)
        except NotFoundError:
            try:
                await js.add_stream(config)
            except BadRequestError:
                # Another replica created it between our check and our add.
                await js.update_stream(config)
        else:
            await js.update_stream(config)


def consumer_config(durable: str, subject: str, ack_wait: float, max_deliver: int) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=durable,
        filter_subject=subject,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=ack_wait,
        # Our code dead-letters after the configured attempts; this is only the server's backstop.
        max_deliver=max_deliver,
        max_ack_pending=1000,
    )


async def declare_consumer(js: JetStreamContext, stream: str, config: ConsumerConfig) -> None:
    await js.add_consumer(stream, config)
