"""The fake OpenAI server's state: queued faults and replies, counters, the request log.

The server runs in its own thread (or process), so everything shared is guarded by a lock.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from igny8_ai.deterministic import short_digest


class FaultKind(StrEnum):
    RATE_LIMIT = "rate_limit"  # 429 with a Retry-After header
    SERVER_ERROR = "server_error"  # 500
    HANG = "hang"  # answers only after hang_seconds, i.e. past the client's timeout
    MALFORMED_CONTENT = "malformed_content"  # 200, but the message content is not JSON
    MALFORMED_BODY = "malformed_body"  # 200, but the HTTP body itself is not valid JSON
    TRUNCATED = "truncated"  # 200, content cut in half and finish_reason "length"


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    retry_after: float = 1.0
    hang_seconds: float = 30.0


@dataclass(frozen=True)
class RequestRecord:
    path: str
    started: float  # time.monotonic() when the request arrived
    finished: float
    status: int
    fault: FaultKind | None
    authorization: str = ""  # the request's Authorization header, as sent
    body: Any = None  # the request's JSON body (prompts, model)


class FakeState:
    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.public_url = ""
        # When set: a request without "Authorization: Bearer <api_key>" answers 401, and one
        # naming a model outside known_models answers 404 (as OpenAI does).
        self.api_key: str | None = None
        self.known_models: frozenset[str] | None = None
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._faults: deque[Fault] = deque()
        self._replies: deque[str] = deque()
        self._images: dict[str, str] = {}
        self._records: list[RequestRecord] = []
        self._in_flight = 0
        self._max_in_flight = 0
        self._count = 0
        # reset() starts a new generation: requests from before it (say, one still hanging) no
        # longer count, are not logged, and stop hanging.
        self._generation = 0

    def inject(self, *faults: Fault) -> None:
        with self._lock:
            self._faults.extend(faults)

    def queue_reply(self, content: str | Mapping[str, Any]) -> None:
        """The next chat completion answers ``content`` (a mapping is sent as JSON)."""
        text = content if isinstance(content, str) else json.dumps(content)
        with self._lock:
            self._replies.append(text)

    def take_reply(self) -> str | None:
        with self._lock:
            return self._replies.popleft() if self._replies else None

    def begin(self) -> tuple[int, float, Fault | None]:
        with self._lock:
            self._count += 1
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
            fault = self._faults.popleft() if self._faults else None
            return self._generation, time.monotonic(), fault

    def end(self, generation: int, record: RequestRecord) -> None:
        with self._lock:
            if generation == self._generation:
                self._in_flight -= 1
                self._records.append(record)

    async def hang(self, generation: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (time.monotonic() < deadline and not self.stopping.is_set()
               and generation == self._generation):
            await asyncio.sleep(0.05)

    def store_image(self, seed: str) -> str:
        digest = short_digest(seed)
        with self._lock:
            self._images[digest] = seed
        return digest

    def image_seed(self, digest: str) -> str | None:
        with self._lock:
            return self._images.get(digest)

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._count

    @property
    def max_in_flight(self) -> int:
        with self._lock:
            return self._max_in_flight

    def records(self, path_suffix: str = "") -> list[RequestRecord]:
        with self._lock:
            return [r for r in self._records if r.path.endswith(path_suffix)]

    def reset(self) -> None:
        with self._lock:
            self._faults.clear()
            self._replies.clear()
            self._records.clear()
            self._in_flight = self._max_in_flight = self._count = 0
            self._generation += 1

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self._count,
                "in_flight": self._in_flight,
                "max_in_flight": self._max_in_flight,
                "pending_faults": [fault.kind.value for fault in self._faults],
                "pending_replies": len(self._replies),
                "latency": self.latency,
                "by_status": _count_by_status(self._records),
            }


def _count_by_status(records: list[RequestRecord]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        counts[str(record.status)] = counts.get(str(record.status), 0) + 1
    return counts
