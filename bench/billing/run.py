"""Billing benchmark: usage events settled per second, exactly once, as a ratio against a plain
JetStream consume-and-ack of the same number of messages in the same run.

    .venv/bin/python bench/billing/run.py [--events 2000] [--accounts 20] [--duplicates 0.25]

1. NATS and PostgreSQL embedded (or ``NATS_URL`` / ``DATABASE_URL``, fresh database); billing
   migrated and started (``python -m igny8_billing serve``); ``--accounts`` accounts opened and
   given bonus credits; ``--events`` reservations made over request/reply.
2. Billing is stopped; one usage event per reservation is published, plus re-sends of a share of
   them (``--duplicates``, new message ids: only billing's inbox can recognise them). Billing is
   started again and drains the backlog; the rate is settlements over the span between the
   first and the last settlement (database clock), so start-up time does not count.
3. Reference: the same number of messages of the same size published to a scratch stream and
   drained by a pull consumer in this process (fetch 20, ack each), timed the same way.
4. Exactly-once checks and the ledger invariants are printed; exit code 2 if any fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import nats
from nats.js.api import ConsumerConfig, StreamConfig
from sqlalchemy import create_engine

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.billing.invariants import (  # noqa: E402
    balances_match_entries,
    settlement_counts,
    violations,
)
from bench.gateway.run import Stack, say, start_nats, start_postgres, start_process  # noqa: E402
from igny8_contracts import Envelope, Query, QueryResult  # noqa: E402
from igny8_contracts.billing import (  # noqa: E402
    AdjustCredits,
    GetBalanceDetails,
    ReserveCredits,
)
from igny8_contracts.identity import AccountCreated  # noqa: E402
from igny8_contracts.usage import WriterAiUsageRecorded  # noqa: E402
from igny8_devtools.testing.processes import run_service_command  # noqa: E402
from igny8_runtime.db import sqlalchemy_url  # noqa: E402

RESULTS = REPO / "bench" / "results" / "billing.json"
CONSUMER = ("WRITER_EVENTS", "billing--settle-writer-usage")


class Bus:
    def __init__(self, nc: Any) -> None:
        self.nc, self.js = nc, nc.jetstream()

    async def ask(self, query: Query, account_id: uuid.UUID) -> QueryResult:
        envelope = Envelope.wrap(query, source="igny8/bench", correlation_id="bench",
                                 account_id=account_id)
        reply = await self.nc.request(query.subject(), envelope.model_dump_json().encode(),
                                      timeout=30)
        return QueryResult.model_validate_json(reply.data)

    async def publish(self, envelope: Envelope, msg_id: str) -> None:
        await self.js.publish(envelope.subject, envelope.model_dump_json().encode(),
                              headers={"Nats-Msg-Id": msg_id})


async def open_accounts(bus: Bus, count: int, bonus: int) -> list[uuid.UUID]:
    accounts = [uuid.uuid4() for _ in range(count)]
    for account_id in accounts:
        event = AccountCreated(account_id=account_id, name="Bench", owner_user_id=uuid.uuid4(),
                               owner_email=f"{account_id.hex[:8]}@bench.test", plan_slug="free")
        await bus.publish(Envelope.wrap(event, source="igny8/bench", correlation_id="bench",
                                        account_id=account_id), str(uuid.uuid4()))
    for account_id in accounts:
        while not (await bus.ask(GetBalanceDetails(account_id=account_id), account_id)).ok:
            await asyncio.sleep(0.1)
        granted = await bus.ask(AdjustCredits(
            account_id=account_id, pool="bonus", amount=bonus, reason="benchmark credits",
            requested_by=uuid.uuid4(), idempotency_key="bench"), account_id)
        assert granted.ok, granted
    return accounts


async def reserve_all(bus: Bus, accounts: list[uuid.UUID], events: int) -> list[tuple[uuid.UUID, str]]:
    holds = [(accounts[i % len(accounts)], f"op-{i}") for i in range(events)]
    for start in range(0, events, 200):
        results = await asyncio.gather(*(bus.ask(ReserveCredits(
            account_id=a, reservation_key=k, operation_type="content", max_quantity=2000), a)
            for a, k in holds[start:start + 200]))
        assert all(r.ok for r in results), [r for r in results if not r.ok][:1]
    return holds


def usage_envelopes(holds: list[tuple[uuid.UUID, str]], duplicates: float) -> list[Envelope]:
    envelopes = [Envelope.wrap(WriterAiUsageRecorded(
        operation_id=key, reservation_key=key, account_id=account_id, operation_type="content",
        quantity=1200, provider="offline", model="offline-1", prompt_tokens=800,
        completion_tokens=1600), source="igny8/writer", correlation_id="bench",
        account_id=account_id) for account_id, key in holds]
    return envelopes + envelopes[: int(len(envelopes) * duplicates)]


async def drained(bus: Bus, stream: str, consumer: str) -> None:
    while True:
        info = await bus.js.consumer_info(stream, consumer)
        if info.num_pending == 0 and info.num_ack_pending == 0:
            return
        await asyncio.sleep(0.05)


async def reference_rate(bus: Bus, count: int, size: int) -> float:
    """Plain JetStream: publish ``count`` messages of ``size`` bytes, then consume and ack."""
    name = f"BENCH_REF_{uuid.uuid4().hex[:6].upper()}"
    await bus.js.add_stream(StreamConfig(name=name, subjects=[f"benchref.{name}"]))
    try:
        body = b"x" * size
        for _ in range(count):
            await bus.js.publish(f"benchref.{name}", body, headers={"Nats-Msg-Id": str(uuid.uuid4())})
        sub = await bus.js.pull_subscribe(f"benchref.{name}", durable="ref",
                                          config=ConsumerConfig(ack_wait=30))
        received, first = 0, 0.0
        while received < count:
            for msg in await sub.fetch(20, timeout=5):
                if received == 0:
                    first = time.perf_counter()
                await msg.ack()
                received += 1
        return (count - 1) / (time.perf_counter() - first)
    finally:
        await bus.js.delete_stream(name)


async def bench(args: argparse.Namespace, nats_url: str, database_url: str,
                stack: Stack) -> dict[str, Any]:
    env = {"NATS_URL": nats_url, "DATABASE_URL": database_url, "IGNY8_LOG_LEVEL": "WARNING"}
    run_service_command("billing", "migrate", env)
    billing = start_process(stack, "billing", env)
    bus = Bus(await nats.connect(nats_url))
    try:
        accounts = await open_accounts(bus, args.accounts, bonus=args.events * 3)
        holds = await reserve_all(bus, accounts, args.events)
        say(f"{len(accounts)} accounts, {len(holds)} reservations open")
        billing.terminate()
        envelopes = usage_envelopes(holds, args.duplicates)
        for envelope in envelopes:
            await bus.publish(envelope, str(uuid.uuid4()))
        say(f"{len(envelopes)} usage events published ({len(envelopes) - len(holds)} re-sent)")
        billing.start()
        billing.wait_ready(90)
        await drained(bus, *CONSUMER)
        engine = create_engine(sqlalchemy_url(database_url))
        counts = settlement_counts(engine)
        answered = {str(a): (await bus.ask(GetBalanceDetails(account_id=a), a)).data["total_credits"]
                    for a in accounts}
        size = len(envelopes[0].model_dump_json().encode())
        reference = await reference_rate(bus, len(envelopes), size)
        checks = {
            "every reservation settled once": counts["usage_transactions"] == len(holds)
            and counts["captured_holds"] == len(holds) and counts["open_holds"] == 0,
            "credits used = 3 per event": counts["credits_used"] == 3 * len(holds),
            "balances equal the sum of entries": not balances_match_entries(engine, answered),
            **{f"no {name}": found == 0 for name, found in violations(engine).items()},
        }
        engine.dispose()
    finally:
        await bus.nc.drain()
    settled_rate = (len(holds) - 1) / counts["settle_span_s"] if counts["settle_span_s"] else 0.0
    delivered_rate = settled_rate * len(envelopes) / len(holds)
    return {"events": len(holds), "messages": len(envelopes), "message_bytes": size,
            "settled_per_s": settled_rate, "messages_per_s": delivered_rate,
            "reference_consume_ack_per_s": reference,
            "ratio_messages_vs_reference": delivered_rate / reference,
            "counts": counts, "checks": checks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--duplicates", type=float, default=0.25)
    args = parser.parse_args()
    stack = Stack()
    try:
        tmp = Path(tempfile.mkdtemp(prefix="igny8-bench-billing-"))
        result = asyncio.run(bench(args, start_nats(stack, tmp), start_postgres(stack, tmp), stack))
    finally:
        stack.close()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nusage events settled: {result['settled_per_s']:.0f}/s "
          f"({result['messages_per_s']:.0f} messages/s incl. re-sends)")
    print(f"plain JetStream consume+ack: {result['reference_consume_ack_per_s']:.0f} messages/s")
    print(f"ratio (billing messages/s ÷ reference): {result['ratio_messages_vs_reference']:.3f}")
    print("\ninvariants and exactly-once checks after the run:")
    for name, passed in result["checks"].items():
        print(f"  {'ok ' if passed else 'FAIL'}  {name}")
    return 0 if all(result["checks"].values()) else 2


if __name__ == "__main__":
    raise SystemExit(main())
