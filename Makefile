# innohub — `make run` serves the platform on SQLite with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run setup db demo test test-fast test-browser lint typecheck check bench messages translations clean worker prod-check prod-check-s3 container-check backup

$(STAMP): pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dense]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP) translations

translations: $(STAMP)
	@$(PY) manage.py compile_translations > /dev/null

db: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0

demo: db
	$(PY) manage.py seed_demo

# The web server and one background worker together: without the worker, uploads would
# never be ingested and e-mails never sent. Stopping the server (Ctrl-C) stops the worker.
# links in e-mails point at the server `make run` starts, unless SITE_URL says otherwise
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: demo
	@echo "innohub is at http://$(HOST):$(PORT)/  (English: http://$(HOST):$(PORT)/en/, API: /api/v1/docs)"
	@$(PY) manage.py db_worker --no-reload --verbosity 0 --queue-name default & worker=$$!; \
	$(PY) manage.py db_worker --no-reload --verbosity 0 --queue-name email & mailer=$$!; \
	trap 'kill $$worker $$mailer 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: db
	$(PY) manage.py db_worker --queue-name '*'

test: setup
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -q -p no:cacheprovider -m "not browser and not slow" $(PYTEST_ARGS)

test-browser: setup
	$(PY) -m pytest -q -p no:cacheprovider -m browser $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

typecheck: setup
	$(VENV)/bin/mypy innohub config

# the deploy check warns while SITE_URL is left at localhost: check as a deployment configured with its address
check: setup
	SITE_URL=$${SITE_URL:-https://innohub.example.gov.vn} DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(60))') \
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

# The production layout on this machine (PostgreSQL, Redis, two gunicorn servers, two workers) and a
# smoke test across it: scripts/prod_check.py, docs/operations.md. About 2-3 minutes; not part of CI.
prod-check: setup
	$(PY) scripts/prod_check.py

# the same with the uploads on an S3-compatible bucket (moto's server, started by the script)
prod-check-s3: setup
	$(PY) scripts/prod_check.py --s3

# build the Containerfile's image with podman (a debootstrap'ed base, no registry) and run it against
# this machine's PostgreSQL and Redis: /healthz, /readyz, the home page. Root; several minutes; not in CI.
container-check:
	bash scripts/container_check.sh

backup: setup
	$(PY) manage.py backup

bench: demo
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

messages:
	@echo "Needs GNU gettext (apt-get install gettext)."
	$(PY) manage.py makemessages -l vi --no-wrap --ignore=.venv --ignore=bench $(foreach app,$(dir $(wildcard innohub/*/locale)),--ignore='$(app)*')
	@for app in innohub/*/locale; do d=$$(dirname $$app); (cd $$d && ../../$(PY) ../../manage.py makemessages -l vi --no-wrap); done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
