from igny8_gateway.app import load
from igny8_runtime.cli import main

main(load())
