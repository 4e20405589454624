# Everyday targets. `make run` and `make test` work on a fresh machine.

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
ADDR ?= 127.0.0.1:8000

# Django 6.1 needs Python 3.12+; the system python3 may be older, so look
# for a newer one on PATH and in pyenv before giving up.
PYTHON ?= $(shell for candidate in python3.13 python3.12 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[23]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	  $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$candidate; break; }; \
	done)

.PHONY: install run serve test lint format lock demo clean audit security soak backup bench attack

$(BIN)/.installed: requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required (Django 6.1). Install it, or set PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(BIN)/.installed

# axe-core for the browser tests, Lighthouse and the Nu checker for `make audit`.
# --ignore-scripts: vnu-jar's install script would download a Java runtime.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Without npm the accessibility checks in the browser tests skip and say why, and the
# CommonMark conformance test (tests/test_commonmark.py) fails, saying to run npm ci.
NODE_DEPS := $(if $(shell command -v npm),node_modules/.installed)

# Production mode on loopback: DEBUG off, a secret key kept in var/, plain HTTP.
RUN_ENV = DJANGO_DEBUG=$${DJANGO_DEBUG:-0} \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret-key)}" \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
	DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-0} \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-0} \
	DJANGO_SECURE_HSTS_SECONDS=$${DJANGO_SECURE_HSTS_SECONDS:-0} \
	DJANGO_SITE_DOMAIN=$${DJANGO_SITE_DOMAIN:-$(ADDR)}

var/secret-key:
	mkdir -p var
	$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

run: install var/secret-key
	@$(RUN_ENV) $(PY) manage.py migrate --noinput
	@$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@$(RUN_ENV) $(PY) manage.py setup_demo
	@echo "Serving on http://$(ADDR)/ (admin: http://$(ADDR)/$$(echo "$${DJANGO_ADMIN_URL:-admin/}" | sed 's#^/*##; s#/*$$#/#')). Ctrl-C stops."
	@$(RUN_ENV) $(BIN)/gunicorn --config gunicorn.conf.py --bind $(ADDR) site_config.wsgi

test: install $(NODE_DEPS)
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# Lighthouse and the Nu Html Checker against the demo site in production mode.
audit: install node_modules/.installed
	$(PY) scripts/audit.py

# Requests/s and latency in production mode with 10 and 100,000 posts, written to
# docs/performance.md. BENCH_QUICK=1 for a short run; see scripts/bench.py for the rest.
bench: install
	$(PY) scripts/bench.py

# ruff, then import-linter: the layers in .importlinter (docs/architecture.md) and no cycles.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# bandit on the project code (findings justified in pyproject.toml or inline with
# `# nosec B### # why`), then pip-audit on requirements.lock (see scripts/audit_dependencies.py).
SCANNED := core blog pages books praise enquiries previews search transfer site_config benchmarks demo scripts
security: install
	$(BIN)/bandit --quiet --recursive $(SCANNED) --configfile pyproject.toml
	$(PY) scripts/audit_dependencies.py

# The attacks of docs/security.md replayed against gunicorn in production mode, with the
# file cache and with Redis, directly and behind deploy/nginx.conf: a table of attack → held.
attack: install
	$(PY) scripts/attack.py

# Readers and an admin author against gunicorn in production mode for SOAK_SECONDS (60);
# `make soak SOAK_ARGS=--kill-worker`, or with DATABASE_URL=postgres://... for PostgreSQL.
soak: install
	$(PY) scripts/soak.py $(SOAK_ARGS)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-pin every dependency to the newest allowed by pyproject.toml.
lock: install
	$(PY) -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) var .pytest_cache
