"""Named crash points for fault-injection tests (off unless IGNY8_FAILPOINTS names them).

``IGNY8_FAILPOINTS=consumer.after_commit`` makes the process SIGKILL itself right after a
consumer commits and before it acks: the exactly-once tests use it to prove a redelivery after
such a crash has no second effect.
"""

from __future__ import annotations

import os
import signal


def failpoint(name: str) -> None:
    enabled = os.environ.get("IGNY8_FAILPOINTS", "")
    if enabled and name in enabled.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
