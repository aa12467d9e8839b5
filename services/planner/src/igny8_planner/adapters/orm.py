"""Planner's tables (schema ``planner``): for now only its outbox and inbox."""

from __future__ import annotations

from igny8_runtime.db import service_metadata
from igny8_runtime.outbox import messaging_tables

metadata = service_metadata("planner")
outbox, inbox = messaging_tables(metadata)
