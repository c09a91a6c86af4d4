"""NLU evaluation on the held-out sets (tests/nlu/<lang>.yml): intent accuracy per language
and per intent. The macro average (mean of per-intent accuracies) is what the gate checks."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "nlu"
LANGUAGES = ("en", "it", "de", "pl", "ro", "es", "el", "fr", "ar", "uk", "ru", "fa")
THRESHOLD = 0.90


@dataclass
class LanguageScore:
    language: str
    examples: int = 0
    correct: int = 0
    per_intent: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.examples if self.examples else 0.0

    @property
    def macro(self) -> float:
        scores = [right / total for right, total in self.per_intent.values() if total]
        return sum(scores) / len(scores) if scores else 0.0


def held_out_examples(language: str) -> list[tuple[str, str]]:
    """(text, intent) pairs of one language's held-out set, annotations stripped."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(HELD_OUT / f"{language}.yml"))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def latest_model() -> Path:
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError("no trained model in models/: run `make train`")
    return models[-1]


async def _evaluate(model: Path, languages: tuple[str, ...]) -> list[LanguageScore]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    scores = []
    for language in languages:
        score = LanguageScore(language)
        for text, intent in held_out_examples(language):
            parsed: dict[str, Any] = await agent.parse_message(text)
            predicted = (parsed.get("intent") or {}).get("name")
            score.examples += 1
            score.per_intent[intent][1] += 1
            if predicted == intent:
                score.correct += 1
                score.per_intent[intent][0] += 1
            else:
                score.errors.append((text, intent, str(predicted)))
        scores.append(score)
    return scores


def evaluate(model: Path | None = None, languages: tuple[str, ...] = LANGUAGES) -> list[LanguageScore]:
    return asyncio.run(_evaluate(model or latest_model(), languages))


def report(scores: list[LanguageScore]) -> str:
    lines = [f"{'lang':<5}{'examples':>9}{'accuracy':>10}{'macro':>8}"]
    lines += [f"{s.language:<5}{s.examples:>9}{s.accuracy:>10.3f}{s.macro:>8.3f}" for s in scores]
    intents = sorted({i for s in scores for i in s.per_intent})
    lines.append("")
    lines.append("per intent (accuracy by language):")
    lines.append(f"{'intent':<28}" + "".join(f"{s.language:>6}" for s in scores))
    for intent in intents:
        cells = []
        for s in scores:
            right, total = s.per_intent.get(intent, (0, 0))
            cells.append(f"{right / total:>6.2f}" if total else f"{'-':>6}")
        lines.append(f"{intent:<28}" + "".join(cells))
    return "\n".join(lines)


def write_results(scores: list[LanguageScore], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({s.language: {"examples": s.examples, "accuracy": s.accuracy, "macro": s.macro,
                                             "errors": s.errors[:50]} for s in scores},
                               ensure_ascii=False, indent=1), encoding="utf-8")
