"""JetStream as the e2e tests see it: what a durable consumer has been delivered and has
acknowledged, and what a stream holds. These are the positive signals a test waits for before
asserting that something did *not* happen (instead of sleeping and hoping)."""

from __future__ import annotations

import asyncio
from typing import Any

import nats
from nats.js.api import ConsumerInfo


async def _consumer_info(nats_url: str, stream: str, durable: str) -> ConsumerInfo:
    nc = await nats.connect(nats_url)
    try:
        return await nc.jetstream().consumer_info(stream, durable)
    finally:
        await nc.drain()


def consumer_info(nats_url: str, stream: str, durable: str) -> ConsumerInfo:
    return asyncio.run(_consumer_info(nats_url, stream, durable))


def consumed_through(nats_url: str, stream: str, durable: str, seq: int) -> bool:
    """``durable`` was delivered every message of its subjects up to stream sequence ``seq``
    and has acknowledged every delivery (the consumers acknowledge only after their unit of
    work committed, or after dead-lettering): those messages are fully processed."""
    info = consumer_info(nats_url, stream, durable)
    delivered = info.delivered.stream_seq if info.delivered else 0
    return bool(delivered is not None and delivered >= seq and info.num_ack_pending == 0)


def drained(nats_url: str, stream: str, durable: str) -> bool:
    """Everything on the stream for ``durable`` was delivered and acknowledged."""
    info = consumer_info(nats_url, stream, durable)
    return bool(info.num_pending == 0 and info.num_ack_pending == 0)


async def _messages(nats_url: str, stream: str, after_seq: int) -> list[Any]:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        last = (await js.stream_info(stream)).state.last_seq
        found = []
        for seq in range(after_seq + 1, last + 1):
            try:
                found.append(await js.get_msg(stream, seq))
            except nats.js.errors.NotFoundError:  # deleted (e.g. a replayed dead letter)
                continue
        return found
    finally:
        await nc.drain()


def last_seq(nats_url: str, stream: str) -> int:
    async def read() -> int:
        nc = await nats.connect(nats_url)
        try:
            return int((await nc.jetstream().stream_info(stream)).state.last_seq)
        finally:
            await nc.drain()

    return asyncio.run(read())


def messages_after(nats_url: str, stream: str, after_seq: int) -> list[Any]:
    """The stream's messages with a sequence above ``after_seq`` (``subject``, ``data``,
    ``headers``, ``seq``)."""
    return asyncio.run(_messages(nats_url, stream, after_seq))
