"""The NLU pipeline's tokenizer: Rasa's whitespace tokenizer, plus a spelling-normalized form of
each token for the featurizers.

People write the same word many ways: with or without accents ("città"/"citta",
"Łódź"/"Lodz"'s "ó"), Greek with or without tonos, Arabic with or without harakat and hamza
seats, Persian with Arabic letters (ي/ی, ك/ک), Arabic-Indic digits. The model has no
pre-trained embeddings, so each variant would be a different word to it. ``normalize`` folds
the variants into one form; the tokenizer puts it in ``Token.lemma``, which the count-vector
featurizers read (``use_lemma``, Rasa's default). The message text itself is left untouched:
the actions read it (city names, language detection).
"""

from __future__ import annotations

import unicodedata
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

# Characters written several ways, mapped to one form. Arabic script: hamza seats, alef
# maqsura, ta marbuta, and Persian's own letters ی and ک as the target, so that Persian and
# Arabic spellings of shared words meet. Also typographic apostrophes, and Polish ł.
_VARIANTS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ي": "ی", "ى": "ی", "ئ": "ی",
    "ك": "ک",
    "ؤ": "و",
    "ة": "ه",
    "ـ": None,  # tatweel, a stretching stroke
    "\u2019": "'", "\u2018": "'", "\u02bc": "'",
    "ł": "l",  # no mark to drop: a letter of its own that people type as "l" ("Lodz")
})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _keeps_marks(base: str) -> bool:
    """Cyrillic letters keep their marks: й/и, ї/і, ё/е are distinct letters people do type."""
    return "CYRILLIC" in unicodedata.name(base, "")


def normalize(word: str) -> str:
    """One spelling for a word's variants: case-folded, marks dropped (except on Cyrillic),
    Arabic-script letter variants unified, digits made ASCII."""
    folded = word.casefold().translate(_VARIANTS).translate(_DIGITS)
    kept: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFD", folded):
        if unicodedata.combining(char):
            if _keeps_marks(base):
                kept.append(char)
            continue
        base = char
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class NormalizingTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer whose tokens carry ``normalize(text)`` as their lemma."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        for token in tokens:
            token.lemma = normalize(token.text)
        return tokens
