"""Machinery every IGNY8 service shares: settings, logging, telemetry, database, outbox,
inbox, consumers, request/reply, dead letters, HTTP app factory and the service CLI."""
