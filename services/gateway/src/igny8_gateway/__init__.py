"""IGNY8 gateway: identity, tenancy and the public HTTP API."""
