# The README's commands. Everything a run or a test needs is installed from here, from
# the lock files in requirements/ (every package pinned, with its hashes): a run and a
# test install the same bytes on every machine. `make lock` updates them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
RUN_LOCK := requirements/run.txt
TEST_LOCK := requirements/test.txt

.PHONY: catalogues messages run test serve worker bench bench-scale lint format clean lock

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

# The lock holds the build backend too (setuptools), so the app itself installs without
# build isolation: nothing is fetched unpinned.
$(VENV)/.installed-run: $(RUN_LOCK) pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet --require-hashes -r $(RUN_LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The test lock holds the run lock's pins and the test tools.
$(VENV)/.installed-test: $(TEST_LOCK) pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet --require-hashes -r $(TEST_LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.installed-run

# Update the lock files after a change to pyproject.toml's dependencies, keeping every
# other pin; `make lock UPGRADE=1` moves every pin to the newest allowed version.
LOCK := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --build-deps-for editable \
	$(if $(UPGRADE),--upgrade)
lock: | $(VENV)/bin/activate
	$(PY) -m pip install --quiet pip-tools
	$(LOCK) --output-file $(RUN_LOCK) pyproject.toml
	$(LOCK) --extra test --constraint $(RUN_LOCK) --output-file $(TEST_LOCK) pyproject.toml

# The interface in French, Spanish and Arabic: the catalogues (locale/) compiled here, at
# install time, never committed.
messages: $(VENV)/.installed-run
	-@bash .ci/system-deps
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

# After adding or changing interface strings: bring locale/*/django.po up to date, then
# translate what is new (tests/i18n/test_catalogues.py fails until every entry is).
catalogues: $(VENV)/.installed-run
	$(PY) manage.py makemessages -l fr -l es -l ar --no-location --no-obsolete \
		--ignore=.venv --ignore=var --ignore=staticfiles --ignore='tests/*' --ignore='bench/*'
	for po in locale/*/LC_MESSAGES/django.po; do printf '%s: ' $$po; \
		msgfmt --statistics -o /dev/null $$po; done

run: $(VENV)/.installed-run messages
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "hsassess is at http://$(HOST):$(PORT)/ (Ctrl-C stops it and its worker)"
	@# The background worker (database queue) runs beside the server; Ctrl-C stops both.
	$(PY) manage.py jobs_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	-@WITH_BROWSER=1 bash .ci/system-deps
	@mkdir -p var
	$(MAKE) --no-print-directory messages
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

serve: $(VENV)/.installed-run messages
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v 0
	@echo "Background work (approved and large briefs) needs a worker too: run make worker."
	DEBUG=0 $(VENV)/bin/gunicorn hsassess.wsgi --bind $(HOST):$(PORT) --workers $${WORKERS:-2} --access-logfile -

# The background worker beside `make serve` (same settings; TASKS_BACKEND picks the queue).
worker: $(VENV)/.installed-run
	DEBUG=0 $(PY) manage.py jobs_worker

bench: $(VENV)/.installed-test
	$(PY) bench/pages.py
	$(PY) bench/brief.py

# 100 then 100,000 assessments in a throwaway PostgreSQL database (BENCH_DATABASE_URL).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hsassess_bench_scale
bench-scale: $(VENV)/.installed-test
	$(PY) bench/scale.py --database-url $(BENCH_DATABASE_URL)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
