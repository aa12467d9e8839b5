from igny8_gateway.adapters import (
    operations_orm,  # noqa: F401  (its table is on the same metadata)
    system_orm,  # noqa: F401  (AI settings, prompt overrides)
)
from igny8_gateway.adapters.orm import metadata
from igny8_runtime.migrations import run_env

run_env(metadata)
