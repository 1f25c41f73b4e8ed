# Happy Neighborhood portal. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: help install run stop logs test test-fast fuzz-long lint fmt migrations-check audit messages bench backup restore browser-deps

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

run: install  ## migrate, load the demo data, start web + worker + beat on http://127.0.0.1:$(PORT) (background)
	DJANGO_DEBUG=true $(PY) manage.py portal start --port $(PORT)

stop:  ## stop what `make run` started
	DJANGO_DEBUG=true $(PY) manage.py portal stop

logs:  ## follow the web, worker and beat logs
	tail -f var/log/web.log var/log/worker.log var/log/beat.log

test: install browser-deps  ## run the whole suite (SQLite by default; DATABASE_URL selects PostgreSQL)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

fuzz-long: install  ## run the fuzz suite with 1,000 examples per form
	HYPOTHESIS_PROFILE=long DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest tests/security/fuzz $(PYTEST_ARGS)

lint: install  ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install  ## format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install  ## fail when models and migrations disagree
	DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run

audit: install  ## check dependencies for known vulnerabilities and the repository for secrets
	$(PY) bin/scan-secrets
	@# --strict: a dependency that could not be looked up fails the audit instead of passing unseen.
	$(VENV)/bin/pip-audit --vulnerability-service $${AUDIT_SERVICE:-pypi} --strict --skip-editable --progress-spinner off

messages: install  ## extract strings, fill Traditional Chinese from Simplified, compile catalogs
	DJANGO_DEBUG=true $(PY) manage.py update_translations

bench: install  ## build the district data set on PostgreSQL and measure the hot paths
	./bin/bench

backup: install  ## back up the database and media files to var/backup/ (with a manifest)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(PY) manage.py backup

restore: install  ## restore var/backup/ and check row counts and checksums against the manifest
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(PY) manage.py restore --yes
