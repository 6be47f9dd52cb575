# Two commands set everything up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 0  # HTTP worker processes; 0: one per CPU
STORE ?= memory

.PHONY: install validate serve test lint format clean soak

# The virtualenv is rebuilt when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

validate: install
	$(BIN)/inclusion-kg validate

serve: validate
	$(BIN)/inclusion-kg serve --host $(HOST) --port $(PORT) --workers $(WORKERS) --store $(STORE)

test: install
	$(BIN)/pytest

# Bounded load of normal, heavy and bad requests (bench/soak.py); figures in docs/reliability.md.
SOAK_DURATION ?= 300
SOAK_CLIENTS ?= 16
soak: install
	$(BIN)/python bench/soak.py --duration $(SOAK_DURATION) --clients $(SOAK_CLIENTS)

lint: install
	$(BIN)/inclusion-kg format --check

format: install
	$(BIN)/inclusion-kg format

clean:
	rm -rf $(VENV) .pytest_cache
