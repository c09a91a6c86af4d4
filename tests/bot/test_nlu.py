"""NLU: the training data's shape in every language, and the accuracy gate on the held-out sets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from actions.needs import NEED_INTENTS
from bot.evaluation import LANGUAGES, ROOT, THRESHOLD, evaluate, held_out_examples, report

NLU = ROOT / "nlu_data"


def training_examples(language: str) -> list[tuple[str, str]]:
    data = load_data(str(NLU / language))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def test_every_language_has_the_same_files():
    names = {language: sorted(p.name for p in (NLU / language).glob("*.yml")) for language in LANGUAGES}
    assert all(files == names["en"] for files in names.values()), names
    assert all((ROOT / "tests" / "nlu" / f"{language}.yml").exists() for language in LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_enough_examples_per_service_intent(language):
    train = Counter(intent for _, intent in training_examples(language))
    held = Counter(intent for _, intent in held_out_examples(language))
    assert {i: train[i] for i in NEED_INTENTS if train[i] < 20} == {}
    assert {i: held[i] for i in NEED_INTENTS if held[i] < 8} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_held_out_set_is_never_trained_on(language):
    trained = {text.casefold().strip() for text, _ in training_examples(language)}
    leaked = [text for text, _ in held_out_examples(language) if text.casefold().strip() in trained]
    assert leaked == []


@pytest.fixture(scope="module")
def scores():
    results = evaluate()
    print("\n" + report(results))
    return {s.language: s for s in results}


@pytest.mark.needs_model
@pytest.mark.nlu_gate
@pytest.mark.parametrize("language", LANGUAGES)
def test_intent_accuracy_gate(scores, language):
    score = scores[language]
    assert score.macro >= THRESHOLD, f"{language}: macro {score.macro:.3f}; errors: {score.errors[:10]}"
