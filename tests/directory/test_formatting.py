"""Babel formatting of hours and language names; right-to-left isolation."""

from __future__ import annotations

from directory.services.formatting import FSI, PDI, format_day, format_week, language_name, own_language_name

WEEK = [("MO", "08:30", "12:30"), ("TU", "08:30", "12:30"), ("WE", "08:30", "12:30"), ("TH", "08:30", "12:30"),
        ("TH", "14:00", "16:00"), ("FR", "08:30", "12:30"), ("SU", "00:00", "24:00")]


def test_week_groups_consecutive_days_with_the_same_hours():
    assert format_week(WEEK, "en") == "Mon–Wed 08:30–12:30; Thu 08:30–12:30, 14:00–16:00; Fri 08:30–12:30; Sun 00:00–24:00"


def test_week_uses_localized_day_names():
    assert format_week(WEEK, "pl").startswith("pon.–śr. 08:30–12:30")
    assert format_week(WEEK, "uk").startswith("пн–ср")
    assert format_week(WEEK, "de").startswith("Mo.–Mi.")


def test_times_are_isolated_in_arabic_and_persian():
    arabic = format_week(WEEK, "ar")
    assert arabic.startswith("الاثنين") and f"{FSI}08:30–12:30{PDI}" in arabic
    assert FSI in format_week(WEEK, "fa")


def test_one_day():
    assert format_day(WEEK, "TH", "en") == "08:30–12:30, 14:00–16:00"
    assert format_day(WEEK, "SA", "en") is None


def test_language_names():
    assert language_name("ar", "uk") == "арабська"
    assert language_name("uk", "it") == "ucraino"
    assert own_language_name("ar") == "العربية" and own_language_name("uk") == "Українська"
    assert language_name("xx", "en") == "xx"
