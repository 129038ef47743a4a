# The strategy book. `make help` lists the targets. Two commands matter:
#   make book   set up .venv if needed, then build the default edition into _build/html
#   make test   lint and type checks, unit and reference tests, then nbval on every committed executed chapter
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PARAMS ?= params/default.yml
REAL_PARAMS ?= params/bens-real.yml
WORKERS ?= 2
export PYTHONHASHSEED := 0

.PHONY: help
help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

.PHONY: setup
setup: $(STAMP) ## create .venv and install the pinned requirements

SPARK_STAMP := $(VENV)/.spark-installed
$(SPARK_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e ".[spark]"
	@touch $@

.PHONY: setup-spark
setup-spark: $(SPARK_STAMP) ## add the optional Spark backend (pyspark, pinned in pyproject.toml; needs Java 17+)

.PHONY: check
check: $(STAMP) ## validate the parameter file and its data (PARAMS=...)
	$(PY) -m analysis check --params $(PARAMS)

.PHONY: book
book: $(STAMP) ## build an edition's HTML book, re-running only what changed (FRESH=1 re-runs everything)
	$(PY) -m analysis build --params $(PARAMS) --workers $(WORKERS) $(if $(FRESH),--fresh)

.PHONY: book-real
book-real: $(STAMP) ## build the real-data edition from ../shared/data/real into _build/bens-real/html
	$(PY) -m analysis build --params $(REAL_PARAMS) --workers $(WORKERS)

.PHONY: lint
lint: $(STAMP) ## ruff (pyproject.toml's rules) on the code and tests, mypy on the stats, model and adapters packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

.PHONY: test
test: lint ## lint first, then unit, reference and integration tests, nbval on the committed chapters, the browser test
	$(PY) -m analysis check --params params/default.yml
	$(PY) -m pytest -q -m "not browser" tests
	$(PY) -m pytest -q -p no:cacheprovider --nbval \
		-n $(WORKERS) --dist loadfile book/chapters book/pathways book/outlook book/value book/appendix
	$(PY) -m pytest -q -m browser tests/browser

.PHONY: test-unit
test-unit: $(STAMP) ## only the fast unit tests
	$(PY) -m pytest -q -m unit tests

.PHONY: pdf
pdf: $(STAMP) ## build the A4 PDF board pack into _build/pdf/book.pdf
	$(PY) -m analysis pdf --params $(PARAMS)

.PHONY: bench
bench: $(STAMP) ## benchmarks (build, model, SPC, data layer): medians of interleaved rounds; writes docs/benchmarks.md
	$(PY) benchmarks/run.py

.PHONY: clean
clean: ## remove built output (keeps .venv and the committed chapters)
	rm -rf _build data/default/generated
