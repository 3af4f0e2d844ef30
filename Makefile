# Mustafid — the two commands of the README, and the pieces they are made of.
#   make run   set up everything and serve the app with its worker on http://127.0.0.1:8000
#   make test  the whole suite: lint, migrations, the Arabic catalogue, deploy check, SQLite,
#              PostgreSQL, browser

SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/mustafid_ci
DEMO_SIZE ?= 300
HOST ?= 127.0.0.1:8000

.PHONY: run test venv install install-dev system-deps messages migrate demo lint check-deploy \
        test-sqlite test-postgres test-browser postgres bench clean system-deps-browser

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip uv

venv: $(BIN)/python

install: venv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/base.lock

install-dev: venv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/dev.lock

# gettext compiles the Arabic catalogue and Pango lays out the PDFs (WeasyPrint); Debian's
# chromium runs the browser tests. Installed only when missing.
system-deps:
	@command -v msgfmt >/dev/null && ldconfig -p | grep -q libpangoft2-1.0 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext libpangoft2-1.0-0; }

system-deps-browser: system-deps
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

messages: system-deps
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv -v 0

migrate:
	DEBUG=1 $(MANAGE) migrate --no-input -v 0

demo:
	DEBUG=1 $(MANAGE) seed_demo --beneficiaries $(DEMO_SIZE) --if-empty

run: install messages migrate demo
	@scripts/serve.sh $(HOST)

lint: install-dev system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run -v 1
	scripts/check-catalogue.sh

# Production settings must pass Django's deployment checklist with no warning.
check-deploy: install-dev
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=mustafid.example.org \
	  $(MANAGE) check --deploy --fail-level WARNING

postgres:
	@scripts/ensure-postgres.sh

test-sqlite: install-dev messages
	$(BIN)/pytest -q -m "not browser"

test-postgres: install-dev messages postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not browser"

test-browser: install-dev messages system-deps-browser
	$(BIN)/pytest -q -m browser

test: lint check-deploy test-sqlite test-postgres test-browser
	@echo "make test: all suites passed"

bench: install-dev
	$(BIN)/python bench/registry.py

clean:
	rm -rf $(VENV) var
