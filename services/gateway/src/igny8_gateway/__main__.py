import sys

from igny8_gateway.app import load
from igny8_gateway.web_app import serve
from igny8_runtime.cli import main

if sys.argv[1:] == ["serve"]:
    serve(load())  # the runtime's serve, plus the web app, CORS and the refresh cookie
else:
    main(load())
