"""Opening hours: ``is_open`` (a service's detail) says what search's ``open_now`` finds."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from directory.models import Closure, Organization, Schedule, Service, ServiceStatus
from directory.services.hours import is_open, local_now
from directory.services.search import ServiceQuery, search_services

EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
# Monday 23 November 2026 in Milan (UTC+1)
MONDAY = datetime(2026, 11, 23, tzinfo=timezone.utc)


def _at(day: int, clock: str) -> datetime:
    hours, minutes = map(int, clock.split(":"))
    return MONDAY + timedelta(days=day, hours=hours, minutes=minutes)


def _schedule(byday: str, opens: str, closes: str, **kwargs: object) -> Schedule:
    return Schedule(freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes, **kwargs)


@pytest.mark.parametrize(("clock", "day", "expected"), [
    ("21:00", 0, True), ("23:59", 0, True), ("00:30", 1, True), ("07:59", 1, True), ("08:00", 1, False),
    ("12:00", 1, False), ("19:59", 1, False), ("03:00", 0, False),   # Sunday night is not in the schedule
])
def test_overnight_hours_run_past_midnight(clock: str, day: int, expected: bool) -> None:
    shelter = [_schedule("MO,TU", "20:00", "08:00")]
    assert is_open(ServiceStatus.active, shelter, [], _at(day, clock)) is expected


def test_24_00_closes_at_the_end_of_the_day() -> None:
    always = [_schedule(EVERY_DAY, "00:00", "24:00")]
    assert is_open(ServiceStatus.active, always, [], _at(0, "23:59"))
    assert is_open(ServiceStatus.active, always, [], _at(1, "00:00"))


def test_validity_dates_closures_and_status() -> None:
    winter = [_schedule(EVERY_DAY, "09:00", "17:00", valid_from=date(2026, 11, 24), valid_to=date(2026, 11, 25))]
    assert not is_open(ServiceStatus.active, winter, [], _at(0, "10:00"))
    assert is_open(ServiceStatus.active, winter, [], _at(1, "10:00"))
    assert not is_open(ServiceStatus.active, winter, [], _at(3, "10:00"))
    closed = [Closure(starts_on=date(2026, 11, 24), ends_on=date(2026, 11, 24))]
    assert not is_open(ServiceStatus.active, winter, closed, _at(1, "10:00"))
    assert not is_open(ServiceStatus.temporarily_closed, winter, [], _at(1, "10:00"))


def test_detail_and_search_agree_at_every_hour_of_a_week(session: Session) -> None:
    hours = {
        "office": ([_schedule("MO,TU,WE,TH,FR", "09:00", "13:00"), _schedule("TU,TH", "14:30", "17:30")], []),
        "shelter": ([_schedule("FR,SA,SU", "20:00", "08:00")], []),
        "always": ([_schedule(EVERY_DAY, "00:00", "24:00")], [Closure(starts_on=date(2026, 11, 25),
                                                                       ends_on=date(2026, 11, 26))]),
        "winter": ([_schedule(EVERY_DAY, "18:00", "22:00", valid_from=date(2026, 11, 27))], []),
    }
    organization = Organization(name="Comune di Milano", language="it")
    services = {}
    for key, (schedules, closures) in hours.items():
        services[key] = Service(organization=organization, name=key, municipality_code="milan", language="it",
                                status=ServiceStatus.active, schedules=schedules, closures=closures)
    session.add_all(services.values())
    session.flush()
    disagreements, opened = [], set()
    for hour in range(0, 24 * 7 + 6, 1):
        now = MONDAY + timedelta(hours=hour, minutes=7)
        found = set(search_services(session, ServiceQuery(open_now=True, municipality="milan", now=now)).ids)
        for key, service in services.items():
            detail = is_open(service.status, service.schedules, service.closures, local_now("Europe/Rome", now))
            opened |= {key} if detail else set()
            if detail != (service.id in found):
                disagreements.append((key, now.isoformat(), detail))
    assert disagreements == []
    assert opened == set(hours)
