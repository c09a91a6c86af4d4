"""Dialogue: `rasa data validate` is clean and the test stories pass with --fail-on-prediction-errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.evaluation import ROOT, latest_model

RASA = str(Path(sys.executable).parent / "rasa")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}


def test_training_data_validates():
    result = subprocess.run([RASA, "data", "validate", "--fail-on-warnings", "--config", "config.yml", "--domain",
                             "bot/domain", "--data", "nlu_data", "bot/data"],
                            cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.needs_model
def test_stories_pass_without_prediction_errors(tmp_path):
    result = subprocess.run([RASA, "test", "core", "--model", str(latest_model()), "--stories",
                             "tests/bot/test_stories.yml", "--fail-on-prediction-errors", "--out", str(tmp_path)],
                            cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
