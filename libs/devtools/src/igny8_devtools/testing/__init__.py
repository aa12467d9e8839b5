"""Test support: the pytest plugin (``-p igny8_devtools.testing.plugin``, loaded by the
workspace's pytest configuration) with real NATS / PostgreSQL fixtures, and ``ServiceProcess``
to run a service as a real subprocess in integration and end-to-end tests."""

from igny8_devtools.testing.processes import (
    ServiceProcess,
    ServiceProcessError,
    StartService,
    run_service_command,
)

__all__ = ["ServiceProcess", "ServiceProcessError", "StartService", "run_service_command"]
