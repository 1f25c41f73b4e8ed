# Happy Neighborhood portal. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: help install run serve test test-fast lint fmt migrations-check messages bench backup restore browser-deps

help:  ## show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install the portal with its development tools

browser-deps:  ## install Debian's Chromium and CJK fonts for the browser tests (needs root, once)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else echo "Browser tests need /usr/bin/chromium: sudo apt-get install chromium fonts-wqy-microhei"; exit 1; fi; fi

run: install  ## migrate, load the demo data, start worker + beat + web on http://127.0.0.1:$(PORT)
	DJANGO_DEBUG=true ./bin/run-portal $(PORT)

test: install browser-deps  ## run the whole suite (SQLite by default; DATABASE_URL selects PostgreSQL)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

lint: install  ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install  ## format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install  ## fail when models and migrations disagree
	DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run

messages: install  ## extract strings, fill Traditional Chinese from Simplified, compile catalogs
	DJANGO_DEBUG=true $(PY) manage.py update_translations

bench: install  ## build the district data set on PostgreSQL and measure the hot paths
	./bin/bench

backup: install  ## dump the database to var/backup.json
	DJANGO_DEBUG=true $(PY) manage.py dumpdata --natural-foreign --exclude contenttypes --exclude auth.permission --exclude sessions --exclude django_celery_beat -o var/backup.json
	@echo "backup written to var/backup.json"

restore: install  ## load var/backup.json into the database
	DJANGO_DEBUG=true $(PY) manage.py loaddata var/backup.json
	@echo "restored from var/backup.json"
