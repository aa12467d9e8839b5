from igny8_billing.app import load
from igny8_runtime.cli import main

main(load())
