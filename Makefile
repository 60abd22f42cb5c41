# Every target makes or reuses .venv itself: on a fresh clone, `make serve` and `make test`
# are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: help install system-deps build serve test lint format bench docs messages golden clean

help:
	@echo "make serve   build the sample site and preview it at http://127.0.0.1:8000"
	@echo "make build   build the site into _site/"
	@echo "make test    lint, type-check and run every test"
	@echo "make lint    ruff and mypy --strict"
	@echo "make format  reformat the code with ruff"
	@echo "make bench   measure builds against Hugo on 4,000 and 10,000 notes (10 min)"
	@echo "make docs    regenerate the configuration reference in docs/"
	@echo "make messages  bring the theme's catalogues (weeknote_gen/locale/) in step with the templates and code"
	@echo "make golden  regenerate the golden test sites after a deliberate change"
	@echo "make clean   remove generated files (_site, caches, .venv, node_modules)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

# The HTML checker (vnu-jar), axe-core and Lighthouse for the tests; --ignore-scripts because
# vnu-jar's install script would try to download a Java runtime (the tests use the system's).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

build: $(STAMP)
	$(BIN)/weeknote-gen build

serve: $(STAMP)
	$(BIN)/weeknote-gen serve

lint: $(STAMP)
	$(BIN)/ruff check weeknote_gen tests
	$(BIN)/ruff format --check weeknote_gen tests
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format weeknote_gen tests
	$(BIN)/ruff check --fix weeknote_gen tests

system-deps:
	bash .ci/system-deps

test: system-deps lint $(NODE_STAMP)
	$(BIN)/python -m pytest

# Our builds against Hugo's on the same synthetic corpora (../shared/bench), 4,000 and 10,000 notes,
# search off and on; a time budget keeps it under 10 minutes (see docs/performance.md).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python tests/bench/run_bench.py

docs: $(STAMP)
	$(BIN)/python -m weeknote_gen.config.reference docs/configuration.md

messages: $(STAMP)
	$(BIN)/python -m tests.messages

golden: $(STAMP)
	$(BIN)/python -m tests.golden.regenerate

clean:
	rm -rf _site ._site.spare .weeknote-cache $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
