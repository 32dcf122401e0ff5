# Set-up and checks. Every target creates .venv if needed and re-uses what is installed.
#   make run   - install, provision resources, analyse the default corpus into reports/
#   make test  - install, lint (ruff, nbQA), unit tests and strict nbval over every notebook
#   make lab   - JupyterLab with the project kernel
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= fa-kes
ANALYZE_ARGS ?= --group-by label
INSTALLED := $(VENV)/.installed
RESOURCES := data/external/.provisioned
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: install run test lint unit nbval lab notebooks bench clean

install: $(RESOURCES)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(RESOURCES): $(INSTALLED) utils/resources/__init__.py
	$(BIN)/python -m utils.resources
	touch $@

run: install
	$(BIN)/python -m utils.analyze $(CORPUS) $(ANALYZE_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/nbqa ruff notebooks

test: lint
	$(BIN)/python -m pytest $(NBVAL) tests notebooks

unit: install
	$(BIN)/python -m pytest tests

nbval: install
	$(BIN)/python -m pytest $(NBVAL) notebooks

lab: install
	$(BIN)/jupyter lab --notebook-dir=notebooks

# Re-execute the committed notebooks in place (after changing utils/ or a notebook).
notebooks: install
	$(BIN)/python scripts/execute_notebooks.py

# Benchmarks print figures (they are not tests) and need ../shared/corpora. The whole-pipeline
# benchmark runs last: its last line is "whole-pipeline speed-up: N.Nx".
BENCHMARKS := benchmarks/frequencies.py benchmarks/sentiment.py benchmarks/sentiment_models.py \
	benchmarks/attribution.py \
	benchmarks/results_store.py benchmarks/main_job.py \
	benchmarks/long_articles.py benchmarks/loading.py benchmarks/pipeline.py
bench: install
	@for script in $(BENCHMARKS); do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) data/external reports .cache
