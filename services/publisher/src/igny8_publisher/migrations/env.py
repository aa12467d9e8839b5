import igny8_publisher.adapters.integration_tables  # registers its tables
import igny8_publisher.adapters.webhook_tables  # noqa: F401  (registers its tables)
from igny8_publisher.adapters.orm import metadata
from igny8_runtime.migrations import run_env

run_env(metadata)
