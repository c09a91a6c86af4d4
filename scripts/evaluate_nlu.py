"""Print intent accuracy per language and per intent on the held-out sets.

Usage: .venv-bot/bin/python scripts/evaluate_nlu.py [--model models/x.tar.gz] [--languages en,it]
Exit status 1 when a language's macro-averaged accuracy is below the gate (0.90).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from bot.evaluation import LANGUAGES, ROOT, THRESHOLD, evaluate, report, write_results  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path)
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    args = parser.parse_args()
    start = time.perf_counter()
    scores = evaluate(args.model, tuple(args.languages.split(",")))
    print(report(scores))
    write_results(scores, ROOT / "results" / "nlu.json")
    failing = [s.language for s in scores if s.macro < THRESHOLD]
    print(f"\nevaluated in {time.perf_counter() - start:.1f} s; gate {THRESHOLD:.2f} macro per language: "
          + ("all pass" if not failing else f"below: {', '.join(failing)}"))
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
