"""Locale-aware formatting with Babel: opening hours, day names, language names, lists.

Right-to-left safety: in Arabic and Persian text, left-to-right fragments (times, phone
numbers, Latin-script addresses) are wrapped in Unicode isolates (FSI ... PDI) so they
keep their order inside a right-to-left sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import time
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_time, get_day_names
from babel.lists import format_list

from directory.models import WEEKDAYS
from directory.settings import RTL_LANGUAGES

FSI, PDI = "\u2068", "\u2069"
_LOCALE_OF = {"en": "en_GB"}  # 24-hour clock, as European services write it


@lru_cache(maxsize=64)
def locale_for(language: str) -> Locale:
    try:
        return Locale.parse(_LOCALE_OF.get(language, language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def is_rtl(language: str) -> bool:
    return language in RTL_LANGUAGES


def isolate(text: str, language: str) -> str:
    """Wrap a fragment so it reads correctly inside text of ``language``."""
    return f"{FSI}{text}{PDI}" if is_rtl(language) and text else text


def language_name(code: str, in_language: str) -> str:
    """'ar' in Ukrainian -> 'арабська'; unknown codes stay as they are."""
    return locale_for(in_language).languages.get(code) or code


def language_names(codes: Iterable[str], in_language: str) -> list[str]:
    return [language_name(code, in_language) for code in codes]


def own_language_name(code: str) -> str:
    """A language's name in itself: 'العربية', 'Українська'."""
    name = locale_for(code).languages.get(code) or code
    return name[:1].upper() + name[1:]


def join_list(items: Sequence[str], language: str) -> str:
    if not items:
        return ""
    try:
        return format_list(list(items), locale=locale_for(language))
    except Exception:  # noqa: BLE001 - Babel lacks list patterns for a few locales
        return ", ".join(items)


def day_names(language: str) -> dict[str, str]:
    names = get_day_names("abbreviated", locale=locale_for(language))
    return {code: names[index] for index, code in enumerate(WEEKDAYS)}


def _clock(value: str, language: str) -> str:
    if value in ("24:00", "24:00:00"):
        return "24:00"
    hours, minutes = (int(part) for part in value.split(":")[:2])
    return format_time(time(hours, minutes), "HH:mm", locale=locale_for(language))


def format_intervals(intervals: Sequence[tuple[str, str]], language: str) -> str:
    return ", ".join(isolate(f"{_clock(o, language)}–{_clock(c, language)}", language) for o, c in intervals)


def format_week(intervals: Sequence[tuple[str, str, str]], language: str) -> str:
    """'Mon–Fri 08:30–12:30; Sat 09:00–12:00' with localized day names, consecutive days grouped."""
    by_day: dict[str, tuple[tuple[str, str], ...]] = {}
    for day, opens, closes in intervals:
        by_day[day] = (*by_day.get(day, ()), (opens, closes))
    names = day_names(language)
    groups: list[tuple[list[str], tuple[tuple[str, str], ...]]] = []
    for day in WEEKDAYS:
        hours = by_day.get(day)
        if hours is None:
            continue
        if groups and groups[-1][1] == hours and WEEKDAYS.index(groups[-1][0][-1]) == WEEKDAYS.index(day) - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], hours))
    parts = []
    for days, hours in groups:
        label = names[days[0]] if len(days) == 1 else f"{names[days[0]]}–{names[days[-1]]}"
        parts.append(f"{label} {format_intervals(hours, language)}")
    return "; ".join(parts)


def format_day(intervals: Sequence[tuple[str, str, str]], day: str, language: str) -> str | None:
    """The hours of one day, or None when closed that day."""
    hours = [(o, c) for d, o, c in intervals if d == day]
    return format_intervals(hours, language) if hours else None
