"""List and replay dead-lettered messages.

``python -m igny8_runtime.deadletter list [--consumer billing--open-balance]``
``python -m igny8_runtime.deadletter replay <seq> [<seq> ...] | --all [--consumer ...]``

Replay republishes the original message to its original subject (same envelope, so consumers
that already processed it skip it through their inbox) and removes it from the dead-letter
stream once the republish is acknowledged by JetStream.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict, dataclass

import nats
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from igny8_contracts.streams import DEADLETTER
from igny8_runtime.settings import ServiceSettings


@dataclass(frozen=True)
class DeadLetter:
    seq: int
    consumer: str
    subject: str
    reason: str
    attempts: int
    failed_at: str
    original_msg_id: str
    data: str


async def list_dead_letters(js: JetStreamContext, consumer: str | None = None) -> list[DeadLetter]:
    subject = f"dlq.{consumer}" if consumer else "dlq.>"
    try:
        info = await js.stream_info(DEADLETTER.name)
    except NotFoundError:
        return []
    if info.state.messages == 0:
        return []
    sub = await js.subscribe(
        subject, stream=DEADLETTER.name, ordered_consumer=True,
        config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL),
    )
    found: list[DeadLetter] = []
    try:
        while True:
            try:
                msg = await sub.next_msg(timeout=0.5)
            except nats.errors.TimeoutError:
                break
            h = msg.headers or {}
            found.append(DeadLetter(
                seq=msg.metadata.sequence.stream,
                consumer=h.get("Igny8-Dlq-Consumer", ""),
                subject=h.get("Igny8-Dlq-Subject", ""),
                reason=h.get("Igny8-Dlq-Reason", ""),
                attempts=int(h.get("Igny8-Dlq-Attempts", "0")),
                failed_at=h.get("Igny8-Dlq-Failed-At", ""),
                original_msg_id=h.get("Igny8-Dlq-Original-Msg-Id", ""),
                data=msg.data.decode(errors="replace"),
            ))
            if msg.metadata.num_pending == 0:
                break
    finally:
        await sub.unsubscribe()
    return found


async def replay(js: JetStreamContext, seq: int) -> str:
    """Republish dead letter ``seq`` to its original subject; returns that subject."""
    stored = await js.get_msg(DEADLETTER.name, seq)
    headers = dict(stored.headers or {})
    subject = str(headers["Igny8-Dlq-Subject"])
    original = {k: v for k, v in headers.items() if not k.startswith("Igny8-Dlq-")}
    # A fresh Nats-Msg-Id so JetStream's duplicate window does not drop the replay; the
    # envelope id (what consumers' inboxes key on) is unchanged.
    original["Nats-Msg-Id"] = f"replay:{DEADLETTER.name}:{seq}"
    original["Igny8-Replayed-From"] = str(seq)
    await js.publish(subject, stored.data or b"", headers=original)
    await js.delete_msg(DEADLETTER.name, seq)
    return subject


async def _main(args: argparse.Namespace) -> int:
    settings = ServiceSettings()
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()
    try:
        if args.command == "list":
            for letter in await list_dead_letters(js, args.consumer):
                print(json.dumps(asdict(letter)))
        else:
            seqs = args.seq
            if args.all:
                seqs = [d.seq for d in await list_dead_letters(js, args.consumer)]
            for seq in seqs:
                print(f"replayed {seq} to {await replay(js, seq)}")
    finally:
        await nc.drain()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m igny8_runtime.deadletter")
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument("seq", nargs="*", type=int)
    parser.add_argument("--consumer", help="only this consumer's dead letters")
    parser.add_argument("--all", action="store_true", help="replay every listed dead letter")
    return asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
