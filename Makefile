# The two commands of the README: `make run` and `make test`. Both work from a fresh clone.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test install lint format system-packages serve clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

## make run: install, migrate the SQLite database, load the demo if empty, serve on 127.0.0.1:8000
run: install
	$(PY) -m renda migrate --noinput
	$(PY) -m renda collectstatic --noinput -v0
	$(PY) -m renda demo --if-empty
	PORT=$(PORT) bash scripts/serve.sh

## make test: install, check system packages, lint, then the whole suite (browser tests included)
test: install
	bash scripts/system-packages.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m renda makemigrations --check --dry-run
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var
