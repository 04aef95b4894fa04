# make book  builds the HTML and PDF editions (and sets up everything it needs on first run)
# make test  builds what is missing and runs the tests
# make pdf   builds only the PDF editions;  make check  validates data/;  make bench  measures builds
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JB := $(BIN)/jupyter-book
PDF_DIR := _build/pdf

.PHONY: book html pdf check test bench system clean

book: html pdf

$(BIN)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

system:
	.ci/install-system-packages

check: $(BIN)/.installed
	$(BIN)/python -m handbook check

html: check node_modules/.installed
	$(JB) build . --builder html --warningiserror --keep-going --quiet

pdf: check system
	$(JB) build . --builder pdflatex --quiet
	mkdir -p $(PDF_DIR)
	cp _build/latex/handbook.pdf _build/latex/handout-*.pdf $(PDF_DIR)/

test: book
	$(BIN)/python -m pytest

# The stock book the benchmark compares against needs matplotlib, which the handbook does not.
$(BIN)/.bench-installed: $(BIN)/.installed benchmarks/requirements.txt
	$(BIN)/pip install --quiet -r benchmarks/requirements.txt
	touch $@

bench: $(BIN)/.bench-installed node_modules/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build
