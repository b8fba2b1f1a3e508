# Delaktig — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test test-fast test-sqlite test-postgres test-browser bench lint format typecheck \
        migrations-check setup demo clean

# The venv is filled by uv (pinned in requirements/bootstrap.txt) from the same lock;
# where uv cannot be had, pip does the same job, only slower.
$(STAMP): pyproject.toml requirements/lock.txt requirements/bootstrap.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	if $(PY) -m pip install --quiet --disable-pip-version-check -r requirements/bootstrap.txt; then \
	    $(VENV)/bin/uv pip install --quiet --python $(PY) -c requirements/lock.txt -e '.[dev]'; \
	else \
	    echo "uv could not be installed; installing with pip instead."; \
	    $(PY) -m pip install --quiet --disable-pip-version-check -c requirements/lock.txt -e '.[dev]'; \
	fi
	touch $(STAMP)

setup: $(STAMP)

## Serve the demo on http://$(HOST):$(PORT) (SQLite, demo data, demo logins printed).
## Another port: `make run PORT=8080` (or `PORT=8080 make run`).
DEMO_ENV := DELAKTIG_DEMO=1 DELAKTIG_BASE_URL=http://$(HOST):$(PORT)
run: $(STAMP)
	@echo "Förbereder demon (databas, statiska filer, demodata) …"
	@$(DEMO_ENV) $(PY) manage.py adopt_custom_user --verbosity 0
	@$(DEMO_ENV) $(PY) manage.py migrate --noinput --verbosity 0
	@$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@$(DEMO_ENV) $(PY) manage.py seed_demo --no-logins
	@$(DEMO_ENV) $(PY) manage.py serve_demo $(HOST):$(PORT)

## The whole suite: lint, types, SQLite (with rules coverage), PostgreSQL, browser.
test: $(STAMP)
	$(PY) scripts/run_tests.py

## SQLite only, without the slow and the browser tests: the quick loop while working.
test-fast: $(STAMP)
	$(PY) scripts/run_tests.py --fast

test-sqlite: $(STAMP)
	$(PY) scripts/run_tests.py --only sqlite

test-postgres: $(STAMP)
	$(PY) scripts/run_tests.py --only postgres

test-browser: $(STAMP)
	$(PY) scripts/run_tests.py --only browser

## Benchmarks on a generated municipality (30 000 persons by default).
bench: $(STAMP)
	$(PY) bench/run.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DELAKTIG_TESTING=1 $(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: $(STAMP)
	$(VENV)/bin/mypy delaktig

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache htmlcov .coverage db.sqlite3*
