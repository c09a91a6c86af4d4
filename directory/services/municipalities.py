"""Municipalities, and resolving any written form of a city name to its code.

"Mailand", "Mediolan", "ميلانو", "we Wrocławiu", "у Варшаві", "milno" all resolve, with a
confidence: 1.0 for a known form, a little less when a preposition or an attached prefix
was stripped or the name was found inside a longer text, and the similarity ratio
(scaled) for a typo.
"""

from __future__ import annotations

import difflib
import threading
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from directory.models import Municipality, MunicipalityName
from directory.text.normalize import normalize, words

# Prepositions people put before a city name, in the 12 languages (normalized).
PREPOSITIONS = frozenset(
    "in at near to from a ad di da nel nella im in der nach bei w we z ze do na pod "
    "la in din din la en de del cerca σε στη στην στο στον στα απο "
    "à a au aux pres de dans "
    "في فى بـ الى من قرب "
    "в у во біля поруч з із до на около возле под "
    "در به از نزدیک".split()
)
# Arabic and Persian one-letter prefixes written attached to the next word.
_ATTACHED_PREFIXES = ("ب", "ل", "و", "ف", "وب", "ول")
FUZZY_CUTOFF = 0.78


@dataclass(frozen=True)
class Resolution:
    code: str
    confidence: float
    matched: str
    method: str  # exact | stripped | contained | fuzzy


class NameIndex:
    """Every normalized name form -> municipality code, plus the forms for fuzzy matching."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.by_form: dict[str, tuple[str, str]] = {}
        for code, name, normalized in rows:
            self.by_form.setdefault(normalized, (code, name))
            self.by_form.setdefault(normalized.replace("-", " "), (code, name))
        self.forms = list(self.by_form)
        self.max_words = max((len(form.split()) for form in self.forms), default=1)

    def resolve(self, text: str) -> Resolution | None:
        candidates = self.candidates(text, limit=1)
        return candidates[0] if candidates else None

    def candidates(self, text: str, limit: int = 3) -> list[Resolution]:
        tokens = words(text.replace("-", " "))
        if not tokens:
            return []
        whole = " ".join(tokens)
        exact = self.by_form.get(whole)
        if exact:
            return [Resolution(exact[0], 1.0, exact[1], "exact")]
        stripped = [t for t in tokens if t not in PREPOSITIONS] or tokens
        found: dict[str, Resolution] = {}

        def offer(resolution: Resolution) -> None:
            if resolution.code not in found or found[resolution.code].confidence < resolution.confidence:
                found[resolution.code] = resolution

        joined = " ".join(stripped)
        for form in (joined, *self._unprefixed(joined)):
            if form in self.by_form:
                code, name = self.by_form[form]
                offer(Resolution(code, 0.97, name, "stripped"))
        if not found:
            for size in range(min(self.max_words, len(stripped)), 0, -1):
                for start in range(len(stripped) - size + 1):
                    gram = " ".join(stripped[start:start + size])
                    for form in (gram, *self._unprefixed(gram)):
                        if form in self.by_form:
                            code, name = self.by_form[form]
                            offer(Resolution(code, 0.9, name, "contained"))
        if not found:
            for size in range(min(self.max_words, len(stripped)), 0, -1):
                for start in range(len(stripped) - size + 1):
                    gram = " ".join(stripped[start:start + size])
                    if len(gram) < 4:
                        continue
                    for form in difflib.get_close_matches(gram, self.forms, n=limit, cutoff=FUZZY_CUTOFF):
                        ratio = difflib.SequenceMatcher(None, gram, form).ratio()
                        code, name = self.by_form[form]
                        offer(Resolution(code, round(0.85 * ratio, 3), name, "fuzzy"))
        return sorted(found.values(), key=lambda r: -r.confidence)[:limit]

    @staticmethod
    def _unprefixed(form: str) -> list[str]:
        return [form[len(p):] for p in _ATTACHED_PREFIXES if form.startswith(p) and len(form) > len(p) + 2]


_cache_lock = threading.Lock()
_cache: tuple[tuple[int, int], NameIndex] | None = None


def name_index(session: Session) -> NameIndex:
    """The name index, rebuilt only when the names table changed."""
    global _cache
    version = tuple(session.execute(
        select(func.count(MunicipalityName.id), func.coalesce(func.max(MunicipalityName.id), 0))
    ).one())
    with _cache_lock:
        if _cache is not None and _cache[0] == version:
            return _cache[1]
    rows = [tuple(r) for r in session.execute(
        select(MunicipalityName.municipality_code, MunicipalityName.name, MunicipalityName.normalized)
        .order_by(MunicipalityName.is_primary.desc(), MunicipalityName.id)
    )]
    index = NameIndex(rows)  # type: ignore[arg-type]
    with _cache_lock:
        _cache = (version, index)  # type: ignore[assignment]
    return index


def resolve_municipality(session: Session, text: str) -> Resolution | None:
    """A municipality code from a code or any name form; None when nothing is close enough."""
    if session.get(Municipality, text.strip().lower()) is not None:
        return Resolution(text.strip().lower(), 1.0, text.strip(), "code")
    return name_index(session).resolve(text)


def list_municipalities(session: Session) -> list[Municipality]:
    return list(session.scalars(select(Municipality).order_by(Municipality.country, Municipality.code)))
