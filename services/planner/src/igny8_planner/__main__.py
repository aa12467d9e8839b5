from igny8_planner.app import load
from igny8_runtime.cli import main

main(load())
