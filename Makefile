# Two commands on a fresh machine with nothing but Python 3.11+:
#   make run   - set up, load seeds/, run the bot (Telegram if TELEGRAM_BOT_TOKEN is set, else a terminal chat)
#   make test  - set up and run every check (ruff, mypy, pytest)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint typecheck pytest bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/dealflow ingest seeds/
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/dealflow run; else $(BIN)/dealflow chat; fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

pytest: setup
	PTB_TIMEDELTA=1 $(BIN)/pytest -q

test: lint typecheck pytest

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
