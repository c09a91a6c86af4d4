# Two commands matter: `make run` and `make test`. The rest are their parts.
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false
PY := .venv/bin/python
CLI := .venv/bin/directory

.PHONY: run test test-app test-actions test-bot test-e2e bootstrap train evaluate-nlu migrate load-sample serve bench clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

run: bootstrap  ## everything: migrate, sample on first run, train if needed, start directory + actions + Rasa
	@$(CLI) run

test: test-app test-actions  ## run the tests (SQLite, and PostgreSQL when one is reachable)

test-app: bootstrap  ## the directory service's tests
	@$(PY) -m pytest $(PYTEST_ARGS)

test-actions: bootstrap  ## the actions' tests, the training data's shape, `rasa data validate`
	@.venv-bot/bin/python -m pytest -p no:cacheprovider -m "not needs_model" tests/actions tests/bot $(PYTEST_ARGS)

# Not yet in `make test` (issues 3 and 4 are in progress): the NLU accuracy gate is below
# 0.90 in some languages; the end-to-end and browser tests passed once against a model
# trained with an earlier pipeline and join `make test` once they run green on every retrain.
test-bot: bootstrap train  ## the NLU accuracy gate (>= 0.90 macro per language) and the test stories
	@.venv-bot/bin/python -m pytest -p no:cacheprovider -m needs_model tests/bot $(PYTEST_ARGS)

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

load-sample: bootstrap  ## (re)load the sample directory
	@$(CLI) load-sample

serve: bootstrap  ## start the directory service on :8000
	@$(CLI) serve

bench: bootstrap  ## print search latency figures (SQLite, and PostgreSQL when reachable)
	@$(PY) benchmarks/search_latency.py

clean:  ## remove the environments and local data
	rm -rf .venv .venv-bot var
