"""Opening hours: pure functions over schedules and closures."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from directory.models import WEEKDAYS, Closure, Schedule, ServiceStatus


def local_now(tz_name: str | None, now: datetime | None = None) -> datetime:
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(ZoneInfo(tz_name or "UTC"))


def _days(byday: str) -> set[str]:
    """The weekday codes of an HSDS ``byday`` ("MO,TU", "1MO", any case)."""
    return {code for day in byday.split(",") if (code := day.strip().upper()[-2:]) in WEEKDAYS}


def weekly_intervals(schedules: Iterable[Schedule]) -> list[tuple[str, str, str]]:
    """(day, opens_at, closes_at) for every weekly interval, Monday first, by opening time."""
    intervals = []
    for schedule in schedules:
        if not (schedule.byday and schedule.opens_at and schedule.closes_at):
            continue
        for day in _days(schedule.byday):
            intervals.append((day, schedule.opens_at[:5], schedule.closes_at[:5]))
    return sorted(set(intervals), key=lambda i: (WEEKDAYS.index(i[0]), i[1]))


def closed_on(closures: Iterable[Closure], moment: datetime) -> Closure | None:
    today = moment.date()
    return next((c for c in closures if c.starts_on <= today <= c.ends_on), None)


def is_open(
    status: ServiceStatus, schedules: Iterable[Schedule], closures: Iterable[Closure], moment: datetime
) -> bool:
    """Open at ``moment`` (already in the service's local time), as search's ``open_now`` decides.

    Active, no closure on the local date, and a weekly interval valid on that date covers the
    time: one of today's, or one of yesterday's that runs past midnight (20:00-08:00); "24:00"
    closes at the end of the day.
    """
    if status != ServiceStatus.active or closed_on(closures, moment):
        return False
    today, clock = moment.date(), moment.strftime("%H:%M:%S")
    day, yesterday = WEEKDAYS[moment.weekday()], WEEKDAYS[(moment.weekday() - 1) % 7]
    for schedule in schedules:
        opens, closes = schedule.opens_at, schedule.closes_at
        if not (schedule.byday and opens and closes):
            continue
        if (schedule.valid_from and schedule.valid_from > today) or (schedule.valid_to and schedule.valid_to < today):
            continue
        days = _days(schedule.byday)
        overnight = closes < opens
        if day in days and opens <= clock and (clock < closes or overnight):
            return True
        if yesterday in days and overnight and clock < closes:
            return True
    return False
