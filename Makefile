# Two commands matter: `make run` and `make test`. The rest are their parts.
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false
PY := .venv/bin/python
CLI := .venv/bin/directory

.PHONY: run test test-app test-actions test-bot test-nlu test-e2e bootstrap train evaluate-nlu migrate load-sample serve bench clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

run: bootstrap  ## everything: migrate, sample on first run, train if needed, start directory + actions + Rasa
	@$(CLI) run

test: test-app test-actions test-bot test-nlu test-e2e  ## the tests: directory (SQLite, and PostgreSQL when reachable), actions, dialogue stories, NLU gate, end to end

test-app: bootstrap  ## the directory service's tests
	@$(PY) -m pytest $(PYTEST_ARGS)

test-actions: bootstrap  ## the actions' tests, the training data's shape, `rasa data validate`
	@.venv-bot/bin/python -m pytest -p no:cacheprovider -m "not needs_model" tests/actions tests/bot $(PYTEST_ARGS)

# The model-bound tests train the model first when it is missing or older than its data
# (15-30 minutes on two cores), then run the test stories; the end-to-end tests start the
# three services and drive REST and the web chat in Chromium.
test-bot: bootstrap train  ## the dialogue test stories (--fail-on-prediction-errors) against the trained model
	@.venv-bot/bin/python -m pytest -p no:cacheprovider -m "needs_model and not nlu_gate" tests/bot $(PYTEST_ARGS)

# `make train` gives the same model each time on the same data, so the gate's verdict is
# repeatable; a change of data or config moves each language's score by a few points.
test-nlu: bootstrap train  ## the NLU accuracy gate: >= 0.90 macro per language on the held-out sets
	@.venv-bot/bin/python -m pytest -p no:cacheprovider -m nlu_gate tests/bot $(PYTEST_ARGS)

test-e2e: bootstrap train  ## conversations over REST and the web chat in headless Chromium, whole stack running
	@scripts/bootstrap.sh browser
	@$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

train: bootstrap  ## train the Rasa model when it is missing or older than its data
	@scripts/train.sh

evaluate-nlu: train  ## print intent accuracy per language and per intent on the held-out sets
	@.venv-bot/bin/python scripts/evaluate_nlu.py

bootstrap:  ## create .venv (Python 3.11) and .venv-bot (Python 3.10); quick when done
	@scripts/bootstrap.sh all

migrate: bootstrap  ## apply database migrations
	@$(CLI) migrate

load-sample: migrate  ## (re)load the sample directory (migrated first)
	@$(CLI) load-sample

serve: migrate  ## start the directory service on :8000 (migrated first; `make load-sample` fills an empty directory)
	@$(CLI) serve

bench: bootstrap  ## print search latency figures (SQLite, and PostgreSQL when reachable)
	@$(PY) benchmarks/search_latency.py

clean:  ## remove the environments and local data
	rm -rf .venv .venv-bot var
