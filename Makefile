# forge-lessons — every command a learner, an instructor or CI needs.
# `make course` and `make test` build .venv from requirements-lock.txt first
# (again whenever the lock or pyproject.toml changes).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-from-lock
JOBS ?= 2
PROFILE ?= full
NBVAL := --nbval -p no:cacheprovider --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: env course test test-fast nbval lab refresh student guide data benchmark clean help

help:
	@echo "make course    build .venv if needed, execute every notebook into build/ (PROFILE=$(PROFILE))"
	@echo "make test      build .venv if needed, run the whole test suite"
	@echo "make lab       open JupyterLab on the course"
	@echo "make env       rebuild .venv from the lock now (after a failed environment check)"
	@echo "make refresh   re-execute the notebooks in place (refreshes the committed outputs)"
	@echo "make student   write student versions to build/student/"
	@echo "make guide     put the run times of the last \`make course\` into the instructor guide"
	@echo "make data      regenerate data/*.csv byte for byte"
	@echo "make benchmark measure the runner (quick profile, cache, parallelism)"

$(STAMP): requirements-lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else "forge-lessons needs Python 3.11, found %d.%d at $(PYTHON); set PYTHON=/path/to/python3.11" % v)'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-lock.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

env:
	rm -f $(STAMP)
	$(MAKE) $(STAMP)

course: $(STAMP)
	$(PY) -m forge_lessons run --profile $(PROFILE) --jobs $(JOBS)

test: $(STAMP)
	$(PY) -m pytest -n $(JOBS) --dist loadscope tests
	$(PY) -m pytest -n $(JOBS) --dist loadscope $(NBVAL) notebooks

test-fast: $(STAMP)
	$(PY) -m pytest -n $(JOBS) --dist loadscope -m "not browser" tests

nbval: $(STAMP)
	$(PY) -m pytest -n $(JOBS) --dist loadscope $(NBVAL) notebooks

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

refresh: $(STAMP)
	$(PY) -m forge_lessons refresh --jobs $(JOBS)

student: $(STAMP)
	$(PY) -m forge_lessons student --out build/student

guide: $(STAMP)
	$(PY) -m forge_lessons guide --summary build/summary.json

data: $(STAMP)
	$(PY) -m forge_lessons data

benchmark: $(STAMP)
	$(PY) tests/benchmark_runner.py

clean:
	rm -rf build
