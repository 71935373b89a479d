# leadflow: one command to run the fleet locally, one to test it.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export PATH := $(CURDIR)/$(BIN):$(CURDIR)/.tools/bin:$(PATH)

.PHONY: help venv up test lint format unit integration deploy-test demo bench infra-up infra-down clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

venv: $(VENV)/.installed  ## create the virtual environment with the project and its dev tools

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

up: venv  ## local Kafka + PostgreSQL, `leadflow setup`, `leadflow run all` in the foreground (Ctrl-C stops all)
	bash scripts/up.sh

lint: venv  ## ruff check, ruff format --check, mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: venv  ## fix what ruff can (imports, style) and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

unit: venv  ## unit tests (no broker), with 100% branch coverage of the pure core
	$(BIN)/pytest tests/unit -q --cov=workers.core --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100

integration: venv  ## integration tests on a real Kafka broker and PostgreSQL (started when absent)
	$(BIN)/pytest tests/integration -q

deploy-test: venv  ## helm lint/template + kubernetes-validate, docker-compose structure
	bash scripts/install-helm.sh
	$(BIN)/pytest tests/deploy -q

test: lint unit integration deploy-test  ## everything CI runs

demo: venv  ## the help article's walkthrough on the local stack, as a timeline
	bash scripts/demo.sh

bench: venv  ## throughput, latency and timer accuracy against the raw Kafka limit
	$(PY) -m tools.bench --out docs

bench-scale: venv  ## 1M-lead figures: launch, pause, lateness, DB bytes, cold start, relay failover
	$(PY) -m tools.bench.scale --out docs $(SCALE_ARGS)

infra-up: venv  ## start local Kafka (9092) and PostgreSQL (5432) in the background
	$(PY) -m tools.infra kafka start
	$(PY) -m tools.infra postgres start

infra-down: venv  ## stop them
	-$(PY) -m tools.infra kafka stop
	-$(PY) -m tools.infra postgres stop

clean:  ## stop local infrastructure and delete caches (keeps the Kafka jars)
	-$(PY) -m tools.infra kafka wipe
	-$(PY) -m tools.infra postgres wipe
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis
