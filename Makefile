# Two commands matter: `make run` and `make test`. The rest are their parts.
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false
PY := .venv/bin/python
CLI := .venv/bin/directory

.PHONY: run test bootstrap migrate load-sample serve bench clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

run: bootstrap  ## bootstrap if needed, migrate, load the sample directory on first run, start the service
	@$(CLI) migrate
	@$(CLI) load-sample --if-empty
	@$(CLI) serve

test: bootstrap  ## run every test (SQLite, and PostgreSQL when one is reachable)
	@$(PY) -m pytest $(PYTEST_ARGS)

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
