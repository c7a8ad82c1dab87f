# Two commands matter: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed
SECRET := instance/secret_key
PORT ?= 5000
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test lint format venv translations compile-translations extract-translations \
        update-translations db seed clean browser compile-static

run: venv compile-translations compile-static db seed  ## set everything up and serve http://127.0.0.1:5000
	@echo "Serving Why I Act on http://127.0.0.1:$(PORT)"
	WHYIACT_ENV=development WHYIACT_SECRET_KEY="$$(cat $(SECRET))" \
	  $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: venv compile-translations compile-static lint browser  ## set up and run the whole suite (SQLite and PostgreSQL)
	TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest

# Browser tests use Debian's Chromium; never `playwright install` (it downloads a browser).
browser:  ## install Debian's chromium for tests/browser when it is missing
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "Note: /usr/bin/chromium is missing and cannot be installed here (needs root and apt-get);" \
	  "browser tests will skip (they fail with CI=true). Set CHROMIUM_PATH to use another Chromium."; fi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

venv: $(STAMP)
$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(SECRET):
	mkdir -p instance
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(48))" > $(SECRET)

db: venv $(SECRET)  ## bring the SQLite database under instance/ to the newest schema
	WHYIACT_ENV=development WHYIACT_SECRET_KEY="$$(cat $(SECRET))" $(FLASK) db upgrade

seed: venv $(SECRET)  ## add demo data when the database has no takes yet
	WHYIACT_ENV=development WHYIACT_SECRET_KEY="$$(cat $(SECRET))" $(FLASK) seed-demo --if-empty

# Translations: .po files are committed, .mo files are built.
extract-translations: venv
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k N_ \
	  -o translations/messages.pot .

update-translations: extract-translations
	$(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations

compile-static: venv  ## write .gz/.br copies of the static files for WhiteNoise
	$(BIN)/python -m whitenoise.compress app/static >/dev/null

compile-translations: venv
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel compile --statistics -d translations; \
	else echo "No catalogs to compile."; fi

translations: update-translations compile-translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# Benchmarks (docs/performance.md): never part of `make test`. About 12 minutes on two
# cores; installs Debian's wrk when it is missing (as root). SCALE=1 adds 1,000,000
# synthetic takes for the dashboard reference (several minutes more).
.PHONY: bench
bench: venv compile-translations compile-static  ## measure every budget of shared/BUDGETS.md (bench/results/latest.json)
	$(BIN)/python -m bench.run $(if $(SCALE),--scale,) $(BENCH_ARGS)
