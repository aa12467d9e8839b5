"""The reference for ``bench/gateway/run.py``: a bare FastAPI app with one ``GET /bare/``
answering a small body in the unified response shape — no middleware, no database, no NATS.

Served exactly like a service (``igny8_runtime.cli`` ``serve``): same ``uvicorn.run`` options,
same logging set-up, host and port from ``IGNY8_HTTP_HOST`` / ``IGNY8_HTTP_PORT``, level from
``IGNY8_LOG_LEVEL``::

    IGNY8_HTTP_PORT=8100 python -m bench.gateway.bare_app
"""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from igny8_runtime.logging import configure_logging
from igny8_runtime.responses import ok
from igny8_runtime.settings import ServiceSettings

app = FastAPI(title="IGNY8 bench reference", docs_url=None, redoc_url=None, openapi_url=None)


@app.get("/bare/")
async def bare() -> JSONResponse:
    return ok({"status": "ok", "service": "bare"})


def main() -> None:
    settings = ServiceSettings(service_name="bare")
    configure_logging("bare", settings.log_level, settings.log_json)
    # The same call as ``igny8_runtime.cli.main`` makes for ``serve``.
    uvicorn.run(app, host=settings.http_host, port=settings.port(), log_config=None,
                access_log=False, proxy_headers=True)


if __name__ == "__main__":
    main()
