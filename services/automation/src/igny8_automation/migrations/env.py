import igny8_automation.adapters.tables  # noqa: F401  (registers its tables)
from igny8_automation.adapters.orm import metadata
from igny8_runtime.migrations import run_env

run_env(metadata)
