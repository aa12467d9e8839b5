"""Automation's metadata (schema ``automation``): its outbox and inbox, and (``tables``) its own."""

from __future__ import annotations

from igny8_runtime.db import service_metadata
from igny8_runtime.outbox import messaging_tables

metadata = service_metadata("automation")
outbox, inbox = messaging_tables(metadata)
