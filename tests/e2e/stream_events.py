"""Reading what services published: an account's envelopes from a JetStream stream."""

from __future__ import annotations

import json
from typing import Any

import nats
from nats.js.api import ConsumerConfig, DeliverPolicy


async def account_events(nats_url: str, *, stream: str, subject: str, account_id: str,
                         wanted: int, attempts: int = 100) -> list[dict[str, Any]]:
    """The envelopes of ``account_id`` on ``subject``, oldest first. Reads the stream again
    until ``wanted`` are there (the outbox relay publishes shortly after each commit)."""
    nc = await nats.connect(nats_url)
    found: list[dict[str, Any]] = []
    try:
        js = nc.jetstream()
        for _ in range(attempts):
            sub = await js.pull_subscribe(subject, stream=stream, config=ConsumerConfig(
                deliver_policy=DeliverPolicy.ALL))
            found = []
            while True:
                try:
                    batch = await sub.fetch(500, timeout=0.5)
                except (nats.errors.TimeoutError, TimeoutError):
                    # nats-py raises either (a bare asyncio.TimeoutError on a slow machine):
                    # nothing more in the stream for now.
                    break
                found += [e for e in (json.loads(m.data) for m in batch)
                          if e["account_id"] == account_id]
            await sub.unsubscribe()
            if len(found) >= wanted:
                break
        return found
    finally:
        await nc.close()
