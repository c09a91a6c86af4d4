"""Lemmas for the twelve languages the assistant speaks: ``lemmatize("lekcji", "pl") == "lekcja"``.

Where each language's lemmas come from (all offline, nothing is loaded at import time):

- ``en it de ro es fr``: spaCy's lookup tables (``spacy-lookups-data``, ``<lang>_lemma_lookup``);
- ``pl``: its part-of-speech lookup tables, tried noun, adj, verb, adv, ... in that order;
- ``uk ru``: pymorphy3 dictionaries (better than the Russian lookup table);
- ``el fa``: spaCy's rule tables (``lemma_rules``/``lemma_index``/``lemma_exc``) applied as
  to a noun, the way spaCy's rule lemmatizer does (Greek with its own variant);
- ``ar``: a light stemmer (Light10: article and attached prefixes, common suffixes);
- any other language: the word itself.

Words and lemmas are normalized (:func:`directory.text.normalize.normalize`) and the tables
are keyed by normalized forms, so ``jezyka`` typed without accents finds ``jezyk`` as ``języka``
does.

The lookup tables are big (Polish: 3.7 million forms; as Python dicts 6 s and 470 MB), so the
first use on a machine compiles each language's tables once into an SQLite file in the cache
directory (``DIRECTORY_LEMMA_CACHE``, else ``$XDG_CACHE_HOME`` or ``~/.cache``, under
``admin4all-directory/``); every later process opens it in a millisecond and looks a word up
in microseconds without holding the table in memory. Compiling takes seconds per language and
about half a minute for Polish (3.7 million forms), so do it ahead of use - at install time
or when a service starts - with :func:`warm_up` or ``python -m directory.text.lemmas``.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import sqlite3
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from directory.text.normalize import normalize

try:  # POSIX: serialize the one-time compilation between processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LANGUAGES: tuple[str, ...] = ("en", "it", "de", "pl", "ro", "es", "el", "fr", "ar", "uk", "ru", "fa")
LOOKUP_TABLES: dict[str, tuple[str, ...]] = {
    "en": ("en_lemma_lookup",),
    "it": ("it_lemma_lookup",),
    "de": ("de_lemma_lookup",),
    "ro": ("ro_lemma_lookup",),
    "es": ("es_lemma_lookup",),
    "fr": ("fr_lemma_lookup",),
    "pl": tuple(
        f"pl_lemma_lookup_{pos}" for pos in ("noun", "adj", "verb", "adv", "num", "pron", "adp", "aux", "part")
    ),
}
MORPHOLOGY_LANGUAGES = frozenset({"uk", "ru"})
RULE_LANGUAGES = frozenset({"el", "fa"})
CACHE_ENV = "DIRECTORY_LEMMA_CACHE"
_FORMAT = 1  # bump when the compiled tables change shape or normalization changes


def lemmatize(word: str, language: str) -> str:
    """The normalized lemma of ``word`` in ``language``; the normalized word when none is known."""
    return lemma_of_normalized(normalize(word), language)


@lru_cache(maxsize=100_000)
def lemma_of_normalized(word: str, language: str) -> str:
    """:func:`lemmatize` for a word that is already normalized (the hot path of text analysis)."""
    if not word:
        return word
    return _lemmatizer(language)(word)


def warm_up(languages: Iterable[str] = LANGUAGES) -> dict[str, float]:
    """Load the lemmatizers of ``languages`` now; seconds each took (compiling tables on first use)."""
    timings: dict[str, float] = {}
    for language in languages:
        started = time.perf_counter()
        _lemmatizer(language)
        timings[language] = time.perf_counter() - started
    return timings


@lru_cache(maxsize=None)
def _lemmatizer(language: str) -> Callable[[str], str]:
    if language in LOOKUP_TABLES:
        return _CompiledLookup(language).lemma
    if language in MORPHOLOGY_LANGUAGES:
        return _morphology(language)
    if language in RULE_LANGUAGES:
        return _NounRules(language).lemma
    if language == "ar":
        return arabic_stem
    return _same


def _same(word: str) -> str:
    return word


# --- spaCy lookup tables, compiled to SQLite -------------------------------------------------


def read_table(name: str) -> Any:
    """One table of ``spacy-lookups-data`` as parsed JSON."""
    resource = resources.files("spacy_lookups_data").joinpath("data", f"{name}.json.gz")
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return json.load(text)


def cache_dir() -> Path:
    """Where compiled lemma tables live (one SQLite file per language)."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "admin4all-directory" / f"lemmas-{_tables_version()}-f{_FORMAT}-{_normalization_mark()}"


def _normalization_mark() -> str:
    """Changes whenever :func:`normalize` would key the tables differently, so caches rebuild."""
    probe = "ĄąĘęŁłŃńÓóŚśŹźŻż ȘșȚțĂăÂâÎî ÄäÖöÜüß ÀàÉéÈèÇçŒœ ÁáÑñ Άάέήίόύώς ЁёЙйЇїҐґ أإآةىیکۀـ ﬁ"
    return hashlib.sha1(normalize(probe).encode()).hexdigest()[:8]


def _tables_version() -> str:
    try:
        return metadata.version("spacy-lookups-data")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source checkout of the tables
        return "unknown"


class _CompiledLookup:
    """A language's lookup tables as an SQLite file: ``form -> lemma``, normalized, identities dropped."""

    def __init__(self, language: str) -> None:
        self._lock = threading.Lock()
        path = _compiled_path(language)
        if path is not None:
            self._connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True,
                                               check_same_thread=False)
        else:  # no writable cache directory: compile into memory for this process
            self._connection = sqlite3.connect(":memory:", check_same_thread=False)
            compile_lookup(language, self._connection)

    def lemma(self, word: str) -> str:
        with self._lock:
            row = self._connection.execute("SELECT lemma FROM lemma WHERE form = ?", (word,)).fetchone()
        return row[0] if row else word


def _compiled_path(language: str) -> Path | None:
    """The compiled table of ``language``, compiling it first if needed; None if nowhere writable."""
    user = getattr(os, "getuid", lambda: "user")()
    for directory in (cache_dir(), Path(tempfile.gettempdir()) / f"admin4all-directory-{user}" / cache_dir().name):
        path = directory / f"{language}.sqlite3"
        if path.exists():
            return path
        partial = directory / f"{language}.{os.getpid()}.partial"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            with _build_lock(directory / f"{language}.lock"):
                if not path.exists():  # another process may have built it while we waited
                    connection = sqlite3.connect(partial)
                    try:
                        compile_lookup(language, connection)
                    finally:
                        connection.close()
                    os.replace(partial, path)
            return path
        except (OSError, sqlite3.Error):
            with contextlib.suppress(OSError):
                partial.unlink()
            continue
    return None


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    with open(path, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def compile_lookup(language: str, connection: sqlite3.Connection) -> None:
    """Write ``language``'s lookup tables into ``connection`` (table ``lemma``); earlier tables win."""
    connection.executescript("""
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;
        CREATE TABLE lemma (form TEXT PRIMARY KEY, lemma TEXT NOT NULL) WITHOUT ROWID;
    """)
    normalized_lemmas: dict[str, str] = {}

    def lemma_of(value: Any) -> str | None:
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, str):
            return None
        lemma = normalized_lemmas.get(value)
        if lemma is None:
            lemma = normalized_lemmas[value] = normalize(value)
        return lemma

    for name in LOOKUP_TABLES[language]:
        table = read_table(name)
        normalize_form = _form_normalizer(table)
        rows = ((normalize_form(form), lemma_of(value)) for form, value in table.items())
        connection.executemany("INSERT OR IGNORE INTO lemma VALUES (?, ?)",
                               ((form, lemma) for form, lemma in rows if form and lemma))
        del table
    # A form that is its own lemma needs no row, but only after it has shadowed later tables.
    connection.execute("DELETE FROM lemma WHERE form = lemma")
    connection.commit()


def _is_plain_latin(char: str) -> bool:
    """A Latin letter, digit or punctuation mark that normalizes on its own, whatever surrounds it."""
    code = ord(char)
    latin = code < 0x250 or 0x1E00 <= code < 0x1F00
    return latin and not char.isspace() and not unicodedata.combining(char)


def _form_normalizer(table: dict[str, Any]) -> Callable[[str], str]:
    """:func:`normalize` for the keys of ``table``, per character where that is exact.

    For text of plain Latin characters (no combining marks, no spaces) normalizing the whole
    equals normalizing each character: a translation table does it several times faster,
    which matters for the millions of Polish forms. Other keys go through :func:`normalize`.
    """
    characters = set("".join(table))
    unsafe = frozenset(char for char in characters if not _is_plain_latin(char))
    mapping = str.maketrans({char: normalize(char) for char in characters - unsafe})

    def normalize_form(form: str) -> str:
        return form.translate(mapping) if unsafe.isdisjoint(form) else normalize(form)

    return normalize_form


# --- pymorphy3 (Ukrainian, Russian) ----------------------------------------------------------


def _morphology(language: str) -> Callable[[str], str]:
    import pymorphy3

    analyzer = pymorphy3.MorphAnalyzer(lang=language)

    def lemma(word: str) -> str:
        parses = analyzer.parse(word)
        return normalize(parses[0].normal_form) if parses else word

    return lemma


# --- rule tables (Greek, Persian) ------------------------------------------------------------


class _NounRules:
    """spaCy's rule lemmatizer for a NOUN, on normalized tables (Greek: spaCy's Greek variant)."""

    def __init__(self, language: str) -> None:
        rules = read_table(f"{language}_lemma_rules").get("noun", [])
        index = read_table(f"{language}_lemma_index").get("noun", [])
        exceptions = read_table(f"{language}_lemma_exc").get("noun", {})
        self._rules = list(dict.fromkeys((normalize(old), normalize(new)) for old, new in rules if old))
        self._index = frozenset(normalize(form) for form in index)
        self._exceptions = {normalize(form): [normalize(lemma) for lemma in lemmas]
                            for form, lemmas in exceptions.items()}
        self._greek = language == "el"

    def lemma(self, word: str) -> str:
        if self._greek:
            return self._greek_lemma(word)
        forms: list[str] = []
        oov_forms: list[str] = []
        for old, new in self._rules:
            if word.endswith(old):
                form = word[: len(word) - len(old)] + new
                if not form:
                    continue
                if form in self._index:
                    forms.insert(0, form)
                elif not form.isalpha():
                    forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in self._exceptions.get(word, []):
            if form not in forms:
                forms.insert(0, form)
        return (forms or oov_forms or [word])[0]

    def _greek_lemma(self, word: str) -> str:
        if word in self._index:
            return word
        forms = list(self._exceptions.get(word, []))
        oov_forms: list[str] = []
        if not forms:
            for old, new in self._rules:
                if word.endswith(old):
                    form = word[: len(word) - len(old)] + new
                    if not form:
                        continue
                    if form in self._index or not form.isalpha():
                        forms.append(form)
                    else:
                        oov_forms.append(form)
        return (forms or oov_forms or [word])[0]


# --- Arabic ----------------------------------------------------------------------------------

# Light10 (Larkey et al.), on normalized text: alef variants are ا, ta marbuta is ه, alef maqsura is ي.
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def arabic_stem(word: str) -> str:
    """A light stem: ``المدارس`` -> ``مدارس``, ``الإيطالية`` -> ``ايطال``."""
    if len(word) > 3 and word.startswith("و"):
        word = word[1:]
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) > 1:
            word = word[len(prefix):]
            break
    for suffix in _AR_SUFFIXES:
        if len(word) - len(suffix) > 1 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


def compiled(language: str) -> bool:
    """Whether ``language`` needs no compiling before its first use (its table is in the cache)."""
    return language not in LOOKUP_TABLES or (cache_dir() / f"{language}.sqlite3").exists()


if __name__ == "__main__":  # python -m directory.text.lemmas [--quiet] [languages...]: compile the tables now
    import sys

    quiet = "--quiet" in sys.argv[1:]  # say something only when there is compiling to do (bootstrap)
    wanted = [a for a in sys.argv[1:] if a != "--quiet"] or list(LANGUAGES)
    cold = [code for code in wanted if not compiled(code)]
    if cold:
        print(f"compiling the search's lemma tables once ({' '.join(cold)}; about a minute) into {cache_dir()}",
              flush=True)
    timings = warm_up(wanted)
    if not quiet:
        for code, seconds in timings.items():
            print(f"{code}: {seconds:.2f} s")
        print(f"cache: {cache_dir()}")
    elif cold:
        print(f"lemma tables ready in {sum(timings.values()):.0f} s")
