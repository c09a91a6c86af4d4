"""The pipeline's tokenizer: spelling variants meet in the token's lemma; the text is untouched."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.tokenizer import NormalizingTokenizer, normalize


@pytest.mark.parametrize(("variant", "plain"), [
    ("Città", "citta"),                 # Latin accents
    ("mulţumesc", "multumesc"),         # Romanian cedilla ...
    ("mulțumesc", "multumesc"),         # ... and comma below
    ("Łódź", "lodz"),
    ("Καλημέρα", "καλημερα"),           # Greek tonos
    ("أَهْلاً", "اهلا"),                   # Arabic harakat and hamza seat
    ("مدرسة", "مدرسه"),                 # ta marbuta
    ("كيف", normalize("کیف")),          # Arabic and Persian kaf / yeh meet
    ("۱۲", "12"),                       # Persian digits
    ("C’est", "c'est"),
])
def test_variants_fold_to_one_form(variant, plain):
    assert normalize(variant) == plain


def test_cyrillic_letters_keep_their_marks():
    assert normalize("Їжак") == "їжак"
    assert normalize("ещё") == "ещё"
    assert normalize("й") != normalize("и")


def test_tokens_carry_the_normal_form_and_the_text_stays():
    tokenizer = NormalizingTokenizer(NormalizingTokenizer.get_default_config())
    message = Message({TEXT: "Dov'è la Questura a Città?"})
    tokens = tokenizer.tokenize(message, TEXT)
    assert [t.text for t in tokens][-1] == "Città"
    assert [t.lemma for t in tokens][-1] == "citta"
    assert message.get(TEXT) == "Dov'è la Questura a Città?"
