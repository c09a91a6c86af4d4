"""Text normalization shared by search and name resolution: case, accents, scripts' variants.

``normalize("Wrocławiu")`` -> ``"wroclawiu"``; ``normalize("إيطاليا")`` -> ``"ايطاليا"``.
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
_KEEP_MARKS = frozenset({"\u0306", "\u0308"})  # й, ї are letters of their own in Cyrillic


def strip_marks(text: str) -> str:
    """Remove combining marks (accents, Arabic harakat) but keep Cyrillic й and ї."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for index, char in enumerate(decomposed):
        if unicodedata.combining(char):
            base = decomposed[index - 1] if index else ""
            if char in _KEEP_MARKS and "\u0400" <= base <= "\u04ff":
                kept.append(char)
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def normalize(text: str) -> str:
    """Casefold, unify letter variants and strip accents; whitespace collapsed."""
    folded = text.translate(_SPECIAL).casefold().translate(_SPECIAL)
    return " ".join(strip_marks(folded).split())


def words(text: str) -> list[str]:
    """The normalized words of ``text`` (letters and digits, any script)."""
    return _WORD.findall(normalize(text))
