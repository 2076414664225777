# Two commands matter: `make run` (try the product) and `make test` (the whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=
VENV := .venv
PY := $(VENV)/bin/python

# uv from the PATH if there is one; otherwise a private copy in .tools, installed from PyPI.
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := .tools/bin/uv
endif

.PHONY: help install run worker test lint format clean

help:
	@echo "make run    - install, migrate an SQLite database, load the demo, serve http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite (PostgreSQL if DATABASE_URL points at one)"
	@echo "make lint   - ruff (check and format), mypy with django-stubs, migrations committed"

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked
	@touch $@

install: $(VENV)/.synced

run: export DEBUG ?= 1
run: export VAR_DIR ?= var
# Links in emails point where this server listens (the settings' default assumes port 8000).
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	@mkdir -p "$$VAR_DIR"
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo
	@echo "  Mentoring is running at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: mentoring-demo):"
	@echo "    lead@example.com     programme lead"
	@echo "    mentor@example.com   mentor of three partners"
	@echo "    mentee@example.com   a partner in the 1:1 Mentoring phase"
	@echo "  Emails and background tasks go to a worker beside the server: see $$VAR_DIR/worker.log"
	@echo
	@trap 'kill $$worker 2>/dev/null' EXIT; \
	$(VENV)/bin/celery -A mentoring worker --beat --pool=solo --loglevel=INFO \
		--schedule "$$VAR_DIR/celerybeat-schedule" > "$$VAR_DIR/worker.log" 2>&1 & worker=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit -c pyproject.toml -r mentoring programmes playbooks bench tests manage.py \
		--severity-level medium --quiet
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .tools var staticfiles test-artifacts

# How fast every page is at 200 and 2,000 mentees, served by gunicorn with production
# settings on PostgreSQL (builds mentoring_bench_pages once). BENCH_ARGS passes options on:
# --seconds 5, --pages dashboard,csv, --posts 30, --rebuild (see bench/pages.py).
.PHONY: bench
bench: install
	$(PY) -m bench.pages $(BENCH_ARGS)

# How long one pace sweep takes over 10,000 and 100,000 mentees on PostgreSQL (builds its
# own databases once; BENCH_ARGS=--rebuild builds them again).
.PHONY: bench-sweep
bench-sweep: install
	$(PY) bench/pace_sweep.py $(BENCH_ARGS)

# Which queries of each bench page read rows of the other programme: EXPLAIN ANALYZE of every
# SELECT of every page, at 200 and at 2,000 mentees (on `make bench`'s data; --pages filters).
.PHONY: bench-explain
bench-explain: install
	$(PY) -m bench.explain $(BENCH_ARGS)
