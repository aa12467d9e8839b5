from igny8_publisher.app import load
from igny8_runtime.cli import main

main(load())
