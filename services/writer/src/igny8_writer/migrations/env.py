import igny8_writer.adapters.image_tables  # noqa: F401  (the images table, on the same metadata)
from igny8_runtime.migrations import run_env
from igny8_writer.adapters.orm import metadata

run_env(metadata)
