"""The pure parts: settings checks, the schedule in a time zone, and the run's state machine."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from igny8_automation.domain.runs import Run, TransitionRefused, operation_id_for
from igny8_automation.domain.schedule import cron_problem, next_run_at, settings_errors
from igny8_contracts.automation import STAGES, AutomationSettings

NOW = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("expression", ["0 9 * * 1-5", "*/15 * * * *", "30 6 1,15 * *",
                                        "0 0 * * sun"])
def test_valid_schedules(expression: str) -> None:
    assert cron_problem(expression) is None


@pytest.mark.parametrize(("expression", "says"), [
    ("61 * * * *", "Not a valid cron"),
    ("0 25 * * *", "Not a valid cron"),
    ("every day", "5 fields"),
    ("0 9 * * * *", "5 fields"),
    ("0 9 * * mon-xyz", "Not a valid cron"),
])
def test_invalid_schedules_say_why(expression: str, says: str) -> None:
    problem = cron_problem(expression)
    assert problem is not None and says in problem


def test_settings_errors_name_their_fields() -> None:
    errors = settings_errors(AutomationSettings(is_active=True, schedule="0 99 * * *",
                                                timezone="Mars/Olympus"))
    assert set(errors) == {"schedule", "timezone"}
    assert settings_errors(AutomationSettings(is_active=True, schedule=None)) == {
        "schedule": ["An active automation needs a schedule (or start runs by hand while "
                     "inactive)."]}
    assert settings_errors(AutomationSettings(is_active=True, schedule="0 9 * * *",
                                              timezone="Europe/Berlin")) == {}


def test_the_schedule_is_read_in_its_time_zone() -> None:
    # 09:00 in Berlin is 07:00 UTC in summer (CEST) and 08:00 UTC in winter (CET).
    assert next_run_at("0 9 * * *", "Europe/Berlin", NOW) == datetime(2026, 7, 2, 7, 0,
                                                                      tzinfo=UTC)
    winter = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    assert next_run_at("0 9 * * *", "Europe/Berlin", winter) == datetime(2026, 1, 10, 8, 0,
                                                                         tzinfo=UTC)
    assert next_run_at("0 9 * * *", "UTC", NOW) == datetime(2026, 7, 2, 9, 0, tzinfo=UTC)


def _run(**settings: object) -> Run:
    return Run.start(uuid.uuid4(), uuid.uuid4(), AutomationSettings.model_validate(settings),
                     "manual", None, NOW)


def test_people_pause_resume_and_cancel_within_the_rules() -> None:
    run = _run()
    assert run.status == "running" and run.stage == "cluster" and run.next_action_at == NOW
    run.pause("manual")
    with pytest.raises(TransitionRefused):
        run.pause("manual")
    later = NOW + timedelta(minutes=5)
    run.resume(later)
    assert run.status == "running" and run.attempt == 1 and run.next_action_at == later
    with pytest.raises(TransitionRefused):
        run.resume(later)
    run.cancel(later)
    assert run.status == "cancelled" and run.finished_at == later
    with pytest.raises(TransitionRefused):
        run.cancel(later)


def test_operation_ids_are_the_same_again_and_new_after_a_resume() -> None:
    run = _run()
    first = operation_id_for(run.id, "ideas", run.attempt)
    assert operation_id_for(run.id, "ideas", run.attempt) == first
    run.pause("credits", {"available": ["0"]})
    run.resume(NOW)
    assert operation_id_for(run.id, "ideas", run.attempt) != first


def test_a_stage_counts_each_operation_once_and_moves_on_after_the_delay() -> None:
    run = _run(delay_seconds=30)
    op = uuid.uuid4()
    run.begin_stage(NOW, total=4, operations={op: 4})
    assert not run.stage_settled
    assert run.operation_finished(op, processed=4, failed=0)
    assert not run.operation_finished(op, processed=4, failed=0)  # a repeated update
    assert run.stage_settled
    run.finish_stage(NOW)
    assert run.stage == "ideas" and run.stages["cluster"].processed == 4
    assert run.next_action_at == NOW + timedelta(seconds=30)


def test_failures_stop_the_run_only_with_stop_on_error() -> None:
    stopping = _run(stop_on_error=True)
    op = uuid.uuid4()
    stopping.begin_stage(NOW, total=3, operations={op: 3})
    stopping.operation_finished(op, processed=2, failed=1)
    stopping.finish_stage(NOW)
    assert stopping.status == "failed" and "cluster stage failed for 1 of 3" in stopping.error

    going_on = _run(stop_on_error=False)
    going_on.begin_stage(NOW, total=3, operations={op: 3})
    going_on.operation_finished(op, processed=0, failed=None)  # the whole operation failed
    going_on.finish_stage(NOW)
    assert going_on.status == "running" and going_on.stage == "ideas"
    assert going_on.stages["cluster"].state == "failed"
    assert going_on.stages["cluster"].failed == 3


def test_skipping_every_stage_completes_the_run() -> None:
    run = _run()
    for _ in STAGES[:-1]:
        run.skip_stage(NOW, "Nothing to do.")
    assert run.status == "completed" and run.stage == "done" and run.finished_at == NOW


def test_the_maximum_run_time_does_not_count_the_wait_for_people() -> None:
    run = _run(max_run_minutes=1)
    late = NOW + timedelta(minutes=2)
    assert run.timed_out(late)
    while run.stage != "review":
        run.skip_stage(NOW, "")
    run.begin_stage(NOW, total=1, operations={}, awaiting=[uuid.uuid4()])
    assert not run.timed_out(late)
