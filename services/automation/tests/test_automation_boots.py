from collections.abc import Callable

import pytest

from igny8_devtools.testing.processes import ServiceProcess
from igny8_devtools.testing.skeleton import assert_boots_migrated_and_healthy

pytestmark = pytest.mark.integration


def test_automation_migrates_starts_and_answers_health_checks(
    database_url: str, service_process: Callable[..., ServiceProcess]
) -> None:
    assert_boots_migrated_and_healthy("automation", database_url, service_process)
