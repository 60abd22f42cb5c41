# Every target makes or reuses .venv itself: on a fresh clone, `make serve` and `make test`
# are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VNU := node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: help install build serve test lint format golden clean

help:
	@echo "make serve   build the sample site and preview it at http://127.0.0.1:8000"
	@echo "make build   build the site into _site/"
	@echo "make test    lint, type-check and run every test"
	@echo "make lint    ruff and mypy --strict"
	@echo "make format  reformat the code with ruff"
	@echo "make golden  regenerate the golden test sites after a deliberate change"
	@echo "make clean   remove generated files (_site, caches, .venv, node_modules)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

$(VNU): package.json
	npm install --no-audit --no-fund --ignore-scripts
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

test: lint $(VNU)
	$(BIN)/python -m pytest

golden: $(STAMP)
	$(BIN)/python -m tests.golden.regenerate

clean:
	rm -rf _site .weeknote-cache $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
