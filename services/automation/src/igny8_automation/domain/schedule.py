"""A site's settings checked before they are saved, and when its schedule fires next. Pure.

The schedule is a five-field cron expression (minute hour day-of-month month day-of-week, as
croniter reads it) evaluated in an IANA time zone: "0 9 * * 1-5" in Europe/Berlin fires at
09:00 Berlin time on weekdays, whatever the offset that day.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from croniter import CroniterBadCronError, croniter

from igny8_contracts.automation import AutomationSettings

FieldErrors = dict[str, list[str]]
CRON_FIELDS = 5


def settings_errors(settings: AutomationSettings) -> FieldErrors:
    """Field errors of ``settings`` beyond what its model checks (empty: valid)."""
    errors: FieldErrors = {}
    if not _known_timezone(settings.timezone):
        errors["timezone"] = [f"Unknown time zone {settings.timezone!r}: use an IANA name such "
                              "as 'UTC' or 'Europe/Berlin'."]
    if settings.schedule is not None:
        problem = cron_problem(settings.schedule)
        if problem:
            errors["schedule"] = [problem]
    if settings.is_active and settings.schedule is None:
        errors.setdefault("schedule", []).append(
            "An active automation needs a schedule (or start runs by hand while inactive).")
    return errors


def cron_problem(expression: str) -> str | None:
    """Why ``expression`` is not a usable five-field cron expression (None: it is)."""
    fields = expression.split()
    if len(fields) != CRON_FIELDS:
        return (f"A schedule has {CRON_FIELDS} fields (minute hour day month weekday), e.g. "
                f"'0 9 * * 1-5'; this one has {len(fields)}.")
    try:
        croniter(expression, datetime(2026, 1, 1, tzinfo=UTC))
    except (CroniterBadCronError, ValueError, KeyError) as exc:
        return f"Not a valid cron expression: {exc}"
    return None


def next_run_at(expression: str, timezone: str, after: datetime) -> datetime:
    """The first time after ``after`` the schedule fires, in UTC."""
    local = after.astimezone(ZoneInfo(timezone))
    fired: datetime = croniter(expression, local).get_next(datetime)
    return fired.astimezone(UTC)


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def _known_timezone(name: str) -> bool:
    if name not in _timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
