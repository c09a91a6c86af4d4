"""Text normalization shared by search and name resolution: case, accents, scripts' variants.

``normalize("Wrocławiu")`` -> ``"wroclawiu"``; ``normalize("إيطاليا")`` -> ``"ايطاليا"``.
``terms("Deutsch-Kurs, l'école")`` -> ``["deutsch", "kurs", "l", "ecole"]``: the pieces the
full-text engines index (letters and digits only; SQLite FTS5 and PostgreSQL split the same way).
"""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into base + accent.
_SPECIAL = str.maketrans({
    "ł": "l", "Ł": "l", "ß": "ss", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae",
    "œ": "oe", "Œ": "oe", "ı": "i",
    # Arabic and Persian: alef variants, ta marbuta, alef maqsura and Persian yeh/kaf to one form
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ۀ": "ه",
    "ـ": None,  # tatweel
    # Greek final sigma
    "ς": "σ",
    # Cyrillic: ё reads as е in everyday writing
    "ё": "е", "Ё": "е",
})
_WORD = re.compile(r"\w+", re.UNICODE)
_TERM = re.compile(r"[^\W_]+", re.UNICODE)
_KEEP_MARKS = frozenset({"\u0306", "\u0308"})  # й, ї are letters of their own in Cyrillic
# A kept mark survives only right after a Cyrillic letter (checked on the decomposed text).
_STRAY_KEEP_MARK = re.compile("(?<![\u0400-\u04ff])[\u0306\u0308]")


def strip_marks(text: str) -> str:
    """Remove combining marks (accents, Arabic harakat) but keep Cyrillic й and ї."""
    decomposed = unicodedata.normalize("NFD", text)
    marks = [char for char in set(decomposed) if unicodedata.combining(char)]
    if marks:
        if not _KEEP_MARKS.isdisjoint(marks):
            decomposed = _STRAY_KEEP_MARK.sub("", decomposed)
        decomposed = decomposed.translate({ord(mark): None for mark in marks if mark not in _KEEP_MARKS})
    return unicodedata.normalize("NFC", decomposed)


def normalize(text: str) -> str:
    """Casefold, unify letter variants and strip accents; whitespace collapsed."""
    if text.isascii():
        return " ".join(text.lower().split())
    folded = text.translate(_SPECIAL).casefold().translate(_SPECIAL)
    return " ".join(strip_marks(folded).split())


def words(text: str) -> list[str]:
    """The normalized words of ``text`` (letters and digits, any script)."""
    return _WORD.findall(normalize(text))


def terms(text: str) -> list[str]:
    """The pieces of already normalized ``text`` a full-text engine indexes: runs of letters and digits."""
    return _TERM.findall(text)
