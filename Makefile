# veille: `make run` (set up and start the daemon), `make test` (set up and run the suite),
# `make demo` (one cycle against the fixture site on 127.0.0.1, no network needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test demo bench train clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(STAMP)

run: install
	$(BIN)/veille init
	$(BIN)/veille run

# The browser tests drive Debian's chromium through Playwright; no browser is downloaded.
chromium:
	@test -x /usr/bin/chromium || (apt-get update -q && apt-get install -y -q chromium)

test: install chromium
	$(BIN)/mypy
	$(BIN)/python -m pytest

demo: install
	$(BIN)/python -m pipeline.demo

bench: install
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python bench/extract_speed.py
	$(BIN)/python bench/extract_eval.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/store_scale.py --claims 100000

# The learned deciders: each writes a small JSON file under extractors/models/ (fixed seed).
train: install
	$(BIN)/pip install -q -e '.[test,train]'
	$(BIN)/python -m train.modality
	$(BIN)/python -m train.metrics
	$(BIN)/python -m train.subjects

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
