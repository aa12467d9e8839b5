from igny8_runtime.cli import main
from igny8_writer.app import load

main(load())
