#!/usr/bin/env bash
# Train the Rasa model when it is missing or older than its data (or always with --force).
# Prints the training time. Models go to models/ and are never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var models
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONWARNINGS=ignore
inputs=(config.yml bot/tokenizer.py bot/domain bot/data nlu_data)
latest=$(ls -t models/*.tar.gz 2>/dev/null | head -n 1 || true)
if [ "${1:-}" != "--force" ] && [ -n "$latest" ] && [ -z "$(find "${inputs[@]}" -newer "$latest" -type f | head -n 1)" ]; then
  echo "train: model $latest is up to date"
  exit 0
fi
echo "train: training the assistant's model (NLU in 12 languages + dialogue)..."
start=$(date +%s)
.venv-bot/bin/rasa train --config config.yml --domain bot/domain --data nlu_data bot/data --out models \
  > var/train.log 2>&1 || { tail -40 var/train.log >&2; echo "train: failed (log: var/train.log)" >&2; exit 1; }
echo "train: done in $(( $(date +%s) - start )) s -> $(ls -t models/*.tar.gz | head -n 1)"
