from igny8_runtime.migrations import run_env
from igny8_writer.adapters.orm import metadata

run_env(metadata)
