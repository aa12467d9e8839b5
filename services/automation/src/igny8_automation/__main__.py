from igny8_automation.app import load
from igny8_runtime.cli import main

main(load())
