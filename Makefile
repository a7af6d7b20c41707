# Two commands: `make run` (set up and serve with demo data on SQLite) and `make test` (set up, then the suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
# The test database through PostgreSQL's Unix socket where the server has one (no host in the URL: libpq's
# default socket directory), else 127.0.0.1:5432. A statement's round trip costs a fifth less over the socket.
PG_SOCKET ?= /var/run/postgresql/.s.PGSQL.5432
PG_TEST_URL ?= $(if $(wildcard $(PG_SOCKET)),postgresql+psycopg://postgres@/portal_test,postgresql+psycopg://postgres@127.0.0.1:5432/portal_test)
HOST ?= 127.0.0.1
PORT ?= 5000
# pytest-xdist workers (each with its own database, live server and Chromium); 0 runs the suite in one process.
# The SQLite run keeps both cores busy with two; the PostgreSQL run waits on the server and on browsers, and
# finishes sooner with three (6 min 38 s with two, 5 min 56 s with three, 5 min 33 s with three over the socket).
TEST_WORKERS ?= 2
PG_TEST_WORKERS ?= 3
# The slowest tests are listed after each run (where the suite's time goes).
PYTEST := $(BIN)/pytest -q -p no:cacheprovider --durations=15

.PHONY: run test setup install assets system translations db demo lint test-sqlite test-postgres pytest-sqlite \
	pytest-postgres clean messages audit serve-prod serve-cluster bench-load bench-failover

run: setup db demo
	@$(FLASK) demo logins
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# The audit mostly waits on the package index: it runs beside the tests, and its report follows theirs.
# The SQLite run, then the PostgreSQL run; when PostgreSQL answers, the browser tests and the tests marked `once`
# run only in its run, the production database (tests/README.md, "Run once"); without it, the SQLite run runs
# everything. (Run side by side, the two took as long as one after the other: both cores are busy either way.)
# Any failure fails `make test`.
test: setup lint
	@$(BIN)/python scripts/audit.py > $(VENV)/audit.log 2>&1 & audit=$$!; \
	if $(BIN)/python scripts/pg_ready.py "$(PG_TEST_URL)" >/dev/null 2>&1; then \
		once='--ignore=tests/browser -m "not once"'; else once=""; fi; \
	$(MAKE) --no-print-directory pytest-sqlite SQLITE_ARGS="$$once" && $(MAKE) --no-print-directory pytest-postgres; \
	tests=$$?; \
	wait $$audit; audited=$$?; echo "== audit"; cat $(VENV)/audit.log; \
	[ $$tests -eq 0 ] && [ $$audited -eq 0 ]

setup: install assets system translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

install: $(VENV)/.installed
$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,postgres,worker,s3]'
	touch $@

assets: portal/static/vendor/.installed
portal/static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf portal/static/vendor && mkdir -p portal/static/vendor/htmx portal/static/vendor/pico portal/static/vendor/jsqr
	cp node_modules/htmx.org/dist/htmx.min.js portal/static/vendor/htmx/
	node_modules/.bin/terser node_modules/jsqr/dist/jsQR.js --compress --mangle --comments false \
		-o portal/static/vendor/jsqr/jsQR.min.js
	cp node_modules/jsqr/LICENSE portal/static/vendor/jsqr/
	cp node_modules/@picocss/pico/css/pico.min.css portal/static/vendor/pico/
	touch $@

system:
	@bash scripts/system-deps.sh

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d portal/translations --statistics 2>&1 | tee .venv/babel.log | grep -v '^$$'
	@! grep -q 'is marked as fuzzy' .venv/babel.log || (echo "A catalogue is marked fuzzy: remove the flag"; exit 1)

# Re-extract the message catalogue after changing user-facing strings.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o portal/translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete

db: setup
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load

lint: $(VENV)/.installed
	$(BIN)/ruff check portal tests migrations $(wildcard bench scripts)

# bandit (no high-severity finding) and pip-audit (no known vulnerability); see scripts/audit.py for what it
# does where the vulnerability service cannot be reached.
audit: $(VENV)/.installed
	$(BIN)/python scripts/audit.py

# Production set-up on this machine: PostgreSQL (portal_prod_local), Redis, one RQ worker, gunicorn on :8000.
serve-prod: setup
	@bash scripts/serve_prod.sh

# Two web hosts with instance folders of their own, one RQ worker, PostgreSQL, Redis, HAProxy on :8100
# (deploy/cluster.sh; `deploy/cluster.sh stop` after `deploy/cluster.sh start`).
serve-cluster: setup
	@bash deploy/cluster.sh up

# 20 users for 10 minutes against gunicorn on PostgreSQL with a province of data (built on first run).
bench-load: setup
	$(BIN)/python bench/load.py

# The cluster rehearsal under load for 10 minutes, one web host killed a third of the way and started again
# at two thirds: errors, p95 and throughput before, during and after; no write and no session may be lost.
bench-failover: setup
	$(BIN)/python bench/failover.py

test-sqlite: setup
	@$(MAKE) --no-print-directory pytest-sqlite

test-postgres: setup
	@$(MAKE) --no-print-directory pytest-postgres

# The runs themselves, without the set-up (which `make test` has done once, before both start).
pytest-sqlite:
	$(PYTEST) -n $(TEST_WORKERS) $(SQLITE_ARGS)

pytest-postgres:
	@if $(BIN)/python scripts/pg_ready.py "$(PG_TEST_URL)"; then \
		echo "== PostgreSQL run"; \
		TEST_DATABASE_URL="$(PG_TEST_URL)" $(PYTEST) -n $(PG_TEST_WORKERS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is required under CI=true but does not answer at $(PG_TEST_URL)"; exit 1; \
	else \
		echo "PostgreSQL does not answer on 127.0.0.1:5432: the PostgreSQL run is skipped."; \
	fi

clean:
	rm -rf $(VENV) node_modules portal/static/vendor .pytest_cache .ruff_cache
