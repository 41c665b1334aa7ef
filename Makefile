# One entry point for every task. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-dev

.PHONY: run install test lint format migrate demo code lock messages clean bench bench-quick browser schema serve backup restore

$(INSTALLED): requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $(INSTALLED)

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(INSTALLED) node_modules/.package-lock.json

# Debian's Chromium for the browser tests (never a browser download), and HAProxy for the test of the door
# behind the proxy of docs/examples/haproxy.cfg.
browser:
	@(command -v chromium && command -v haproxy && command -v pdftotext) >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium haproxy poppler-utils)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The second-step code of the demo logins, as an authenticator app with the demo secret shows it now.
code: install
	@$(PY) manage.py demo_code

# Where `make run` listens; e-mails link to cases there (SITE_URL), unless SITE_URL says otherwise.
RUN_ADDRESS ?= 127.0.0.1:8000
run: export SITE_URL ?= http://$(RUN_ADDRESS)
run: demo
	@echo ""
	@echo "Woonzeker runs on http://$(RUN_ADDRESS) — sign in with a demo login above;"
	@echo "for the code after the password run \`make code\` in another terminal."
	@# Static files as production serves them: collected into STATIC_ROOT, compressed, served by whitenoise.
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@# The recurring tasks (the audit chainer, the daily run at DAILY_RUN_AT), queued unless already waiting.
	$(PY) manage.py schedule_tasks
	@# The task worker (imports, the recurring tasks) beside the development server; stopped when the server stops.
	@$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(RUN_ADDRESS)

# The production server, locally: gunicorn with production settings over HTTP on 127.0.0.1:8000, and
# TASK_WORKERS task workers (manage.py db_worker, each a process of its own; several only on PostgreSQL),
# stopped with it. Set SECRET_KEY, DATABASE_URL and SITE_URL (https://) as in production; SECURE_SSL_REDIRECT=0
# (no TLS proxy here).
TASK_WORKERS ?= 1
serve: install
	WOONZEKER_PRODUCTION=1 $(PY) manage.py collectstatic --noinput --verbosity 0
	WOONZEKER_PRODUCTION=1 $(PY) manage.py migrate --noinput
	WOONZEKER_PRODUCTION=1 $(PY) manage.py schedule_tasks
	@workers=""; for n in $$(seq $(TASK_WORKERS)); do \
		WOONZEKER_PRODUCTION=1 $(PY) manage.py db_worker & workers="$$workers $$!"; done; \
		trap 'kill $$workers 2>/dev/null' EXIT INT TERM; \
		WOONZEKER_PRODUCTION=1 $(VENV)/bin/gunicorn --config gunicorn.conf.py

# Back up the database (DATABASE_URL, or the SQLite file) into var/backups/, with a manifest to check a restore.
backup: install
	$(PY) manage.py backup

# Replace the database with a backup and verify it: make restore FILE=var/backups/woonzeker-….dump
restore: install
	@test -n "$(FILE)" || (echo "Say which backup: make restore FILE=var/backups/…" && exit 2)
	$(PY) manage.py restore "$(FILE)" --yes

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint browser
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# Regenerate the committed OpenAPI schema after changing the API (a test checks they match).
schema: install
	$(PY) manage.py spectacular --file docs/openapi.yaml --lang en

# Re-pin the dependencies after editing requirements/*.in.
lock:
	$(PYTHON) -m venv /tmp/woonzeker-lock && /tmp/woonzeker-lock/bin/pip install --quiet pip-tools
	cd requirements && /tmp/woonzeker-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o base.txt base.in
	cd requirements && /tmp/woonzeker-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o dev.txt dev.in

# Update the Dutch translations after changing interface text (needs GNU gettext).
messages: install
	cd src/woonzeker && ../../$(PY) ../../manage.py makemessages --locale nl --no-obsolete --add-location file
	cd src/woonzeker && ../../$(PY) ../../manage.py compilemessages --locale nl

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .ruff_cache test-artefacts

# Benchmarks: figures and ratios, printed (tests never assert timings). Needs the local PostgreSQL. Each run
# (BENCH_RUN) creates its databases afresh, each benchmark prints the commit and the machine's state first,
# and the summary lists every ratio to a floor measured in the same run with its target, PASS or MISS.
BENCH := PYTHONPATH=src:. $(PY) -m
bench: export BENCH_RUN := full-$(shell date -u +%Y%m%dT%H%M%SZ)
bench: install
	$(BENCH) bench.ledger_import
	$(BENCH) bench.ledger_worker
	$(BENCH) bench.monitoring_dashboard
	$(BENCH) bench.work_queue
	$(BENCH) bench.audit_search
	$(BENCH) bench.audit_overhead
	$(BENCH) bench.load
	$(BENCH) bench.soak
	$(BENCH) bench.summary

# A few minutes, before any change that touches a hot path: the ledger at 250,000 rows (PostgreSQL), the load
# at 16 users on 20,000 cases in runs of 10 s, the work queue and the dashboard on those cases, the audit overhead
# in three short rounds; then the summary.
bench-quick: export BENCH_RUN := quick-$(shell date -u +%Y%m%dT%H%M%SZ)
bench-quick: install
	BENCH_DATABASES=postgresql BENCH_LEDGER_ROWS=250000 $(BENCH) bench.ledger_import
	BENCH_CASES=20000 BENCH_USERS=16 BENCH_SECONDS=10 $(BENCH) bench.load
	BENCH_CASES=20000 $(BENCH) bench.work_queue
	BENCH_CASES=20000 $(BENCH) bench.monitoring_dashboard
	BENCH_CASES=20000 BENCH_ROUNDS=3 BENCH_SECONDS=8 $(BENCH) bench.audit_overhead
	$(BENCH) bench.summary
