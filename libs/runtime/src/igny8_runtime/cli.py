"""``python -m igny8_<name> serve | migrate | asyncapi``: the same commands for every service."""

from __future__ import annotations

import argparse
from types import FrameType
from typing import Any

import uvicorn
from fastapi import FastAPI
from faststream.specification import AsyncAPI

from igny8_runtime.http import create_app
from igny8_runtime.logging import configure_logging
from igny8_runtime.migrations import revision, upgrade
from igny8_runtime.service import Service, ServiceRuntime, build_broker, create_runtime
from igny8_runtime.settings import ServiceSettings


def settings_for(service: Service[Any]) -> ServiceSettings:
    return ServiceSettings(service_name=service.name)


def asyncapi_document(service: Service[Any], settings: ServiceSettings) -> str:
    runtime = create_runtime(service, settings)
    spec = AsyncAPI(runtime.broker, title=f"IGNY8 {service.name}", version="1.0.0",
                    description=f"Messages the {service.name} service consumes and answers.")
    return spec.to_specification().to_json()


def main(service: Service[Any], argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m igny8_{service.name}")
    parser.add_argument("command", choices=["serve", "migrate", "asyncapi", "makemigration"])
    parser.add_argument("message", nargs="?", default="change")
    args = parser.parse_args(argv)
    settings = settings_for(service)
    configure_logging(service.name, settings.log_level, settings.log_json)
    if args.command == "migrate":
        upgrade(service.name, settings.database_url)
    elif args.command == "makemigration":
        revision(service.name, settings.database_url, args.message)
    elif args.command == "asyncapi":
        print(asyncapi_document(service, settings))
    else:
        run_server(create_app(service, settings), settings)


def run_server(app: FastAPI, settings: ServiceSettings) -> None:
    """Serve ``app`` (made by ``create_app``) with uvicorn until asked to stop."""
    config = uvicorn.Config(app, host=settings.http_host, port=settings.port(),
                            log_config=None, access_log=False, proxy_headers=True,
                            timeout_graceful_shutdown=5)
    StoppingServer(config, app.state.runtime).run()


class StoppingServer(uvicorn.Server):
    """uvicorn's server, telling the service it is asked to stop at once (``ServiceRuntime.
    on_stopping``), before it waits for open connections: a server-sent-event stream would
    otherwise hold the shutdown until the graceful timeout and then be cancelled."""

    def __init__(self, config: uvicorn.Config, runtime: ServiceRuntime) -> None:
        super().__init__(config)
        self.runtime = runtime

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.runtime.begin_stopping()
        super().handle_exit(sig, frame)


__all__ = ["build_broker", "main", "run_server"]
