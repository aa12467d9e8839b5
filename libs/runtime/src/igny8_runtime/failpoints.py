"""Named crash points for fault-injection tests (off unless IGNY8_FAILPOINTS names them).

``IGNY8_FAILPOINTS=consumer.after_commit`` makes the process SIGKILL itself right after a
consumer commits and before it acks: the exactly-once tests use it to prove a redelivery after
such a crash has no second effect. Read once per process (tests set it when they start one).
"""

from __future__ import annotations

import os
import signal
from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class FailpointSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IGNY8_", extra="ignore")

    # Comma-separated names of the crash points that are on.
    failpoints: str = ""


@cache
def enabled_failpoints() -> frozenset[str]:
    return frozenset(name.strip() for name in FailpointSettings().failpoints.split(",") if name.strip())


def failpoint(name: str) -> None:
    if name in enabled_failpoints():
        os.kill(os.getpid(), signal.SIGKILL)
