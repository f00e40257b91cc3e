# The README's commands. Everything a run or a test needs is installed from here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve worker bench lint format clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "hsassess is at http://$(HOST):$(PORT)/ (Ctrl-C stops it and its worker)"
	@# The background worker (database queue) runs beside the server; Ctrl-C stops both.
	$(PY) manage.py jobs_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	-@bash .ci/system-deps
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

serve: $(VENV)/.installed-run
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

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
