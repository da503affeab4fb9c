# Diancan: `make run` serves the demo store, `make test` runs every test.
# Both install what is missing first (a .venv, Python and npm packages, Chromium for tests).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PYTHONPATH := $(CURDIR)
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test lint deps dev-deps browser ops-tools migrate seed bench smoke translations-update cluster cluster-reload \
	miniprogram-test

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.deps $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

translations/zh_Hans_CN/LC_MESSAGES/messages.mo: translations/zh_Hans_CN/LC_MESSAGES/messages.po | $(VENV)/.deps
	$(BIN)/pybabel compile -d translations

# The console's charts: only the ECharts parts used, bundled once (see web/bundles/echarts.js).
ECHARTS_BUNDLE := node_modules/.diancan/echarts.js
$(ECHARTS_BUNDLE): web/bundles/echarts.js node_modules/.package-lock.json
	node_modules/.bin/esbuild web/bundles/echarts.js --bundle --format=esm --minify --legal-comments=eof \
		--log-level=warning --outfile=$@

deps: $(VENV)/.deps node_modules/.package-lock.json $(ECHARTS_BUNDLE) translations/zh_Hans_CN/LC_MESSAGES/messages.mo
dev-deps: $(VENV)/.dev-deps node_modules/.package-lock.json $(ECHARTS_BUNDLE) translations/zh_Hans_CN/LC_MESSAGES/messages.mo

# After adding or changing page strings: extract them and merge them into the Chinese catalogue
# (translations/zh_Hans_CN/LC_MESSAGES/messages.po is the source translators edit; new strings arrive empty).
# Keywords: the gettext calls, and every domain error (its message is a template the API translates, api/i18n.py).
BABEL_KEYWORDS := _ gettext lazy_gettext N_ InvalidRequest Unauthorized Forbidden NotFound Conflict SoldOut NotAvailable \
	InvalidState ValidationFailed RateLimited UpstreamError ValidationError
translations-update: deps
	$(BIN)/pybabel extract -F babel.cfg $(addprefix -k ,$(BABEL_KEYWORDS)) --no-location --omit-header \
		-o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l zh_Hans_CN --no-fuzzy-matching \
		--ignore-obsolete
	$(BIN)/pybabel compile -d translations
	$(BIN)/python scripts/miniprogram_catalogue.py

browser:
	@bash scripts/ensure-browser.sh

# nginx (make cluster) and promtool (alert-rule tests), from Debian.
ops-tools:
	@bash scripts/ensure-ops-tools.sh

migrate: deps
	$(BIN)/flask --app app db-upgrade

# The demo's kitchen printer: the project's ESC/POS emulator, printing tickets in this terminal.
PRINTER_PORT ?= 9100

seed: migrate
	$(BIN)/flask --app app seed-demo --printer 127.0.0.1:$(PRINTER_PORT)

run: seed
	@$(BIN)/python -m printers.emulator --port $(PRINTER_PORT) & emulator=$$!; \
	trap 'kill $$emulator 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# The production shape on one machine: nginx on PORT (default 8080) in front of PROCESSES (default 2)
# gunicorn processes on MariaDB and Redis, in the foreground; Ctrl-C stops everything.
cluster: deps ops-tools
	@bash scripts/ensure-services.sh
	$(BIN)/python scripts/cluster.py

# New code without downtime: each process, one at a time, swaps its worker (gunicorn's SIGHUP reload).
cluster-reload:
	kill -HUP $$(cat $${INSTANCE_PATH:-instance}/cluster/runner.pid)

lint: dev-deps
	$(BIN)/ruff check .
	$(BIN)/mypy --strict domain services monitoring

# The mini-program's unit tests: Jest with miniprogram-simulate (jsdom), wx.* mocked.
miniprogram-test: node_modules/.package-lock.json
	npx --no-install jest --ci

test: dev-deps browser ops-tools lint miniprogram-test
	$(BIN)/pytest $(PYTEST_ARGS)

bench: dev-deps
	$(BIN)/python bench/order_to_screen.py

smoke: deps
	$(BIN)/python ../shared/contract_smoke.py $${BASE_URL:-http://127.0.0.1:5000}
