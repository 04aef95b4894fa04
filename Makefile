# make book  builds the HTML and PDF editions (and sets up everything it needs on first run)
# make test  builds what is missing and runs the tests
# make pdf   builds only the PDF editions;  make check  validates data/;  make bench  measures builds
# make lock  pins the whole Python environment again after requirements.txt changed
# make mutate  mutation testing of handbook/ against the fast suite (CPU-heavy, hours for all of it; MUTATE_SAMPLE=500 for
#              an estimate of the whole in about an hour; see benchmarks/mutation.md)
# make debian-check  make book on a fresh Debian with only make and python3, in a chroot (root, 15-30 min)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JB := $(BIN)/jupyter-book
PDF_DIR := _build/pdf
# requirements.txt names what the book needs; requirements-lock.txt pins every package installed.
LOCK := requirements-lock.txt
LOCK_TOOLS := .venv-lock
UV_VERSION := 0.13.9

.PHONY: book html pdf check test bench mutate system prerequisites lock debian-check clean

book: html pdf

# Exactly the locked versions and nothing else (--no-deps): what was tested is what is installed.
$(BIN)/.installed: $(LOCK) pyproject.toml | prerequisites
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $@

node_modules/.installed: package.json package-lock.json | prerequisites
	npm ci --no-audit --no-fund --silent
	touch $@

# Debian packages make needs before anything else: python3-venv, and nodejs with npm when no npm exists.
prerequisites:
	PYTHON=$(PYTHON) .ci/install-system-packages --prerequisites

system:
	.ci/install-system-packages

# The lock for Python 3.11 and later on any platform; uv, pinned, in an environment of its own.
lock:
	$(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)
	$(LOCK_TOOLS)/bin/uv pip compile --quiet --universal --python-version 3.11 --custom-compile-command "make lock" \
	  requirements.txt -o $(LOCK)

check: $(BIN)/.installed
	$(BIN)/python -m handbook check

# A finished build stamps its folder with the fingerprint of every source (handbook/project.py): while the
# stamp matches, there is nothing to build, and make says so at once instead of starting Sphinx (and, for
# the PDF, LaTeX) to find out. The file runs on its own (-I): importing the package would load pandas.
# Otherwise data/ is checked first, before anything else is installed or built.
CURRENT := $(BIN)/python -I handbook/project.py current
SUBMAKE := $(MAKE) --no-print-directory

html: $(BIN)/.installed
	@$(CURRENT) _build/html || { set -x; $(BIN)/python -m handbook check && $(SUBMAKE) node_modules/.installed && \
		$(JB) build . --builder html --warningiserror --keep-going --quiet; }

# The stamp is copied last: copies of an older LaTeX build never look current.
pdf: $(BIN)/.installed
	@$(CURRENT) $(PDF_DIR) || { set -ex; $(BIN)/python -m handbook check; $(SUBMAKE) system; \
		$(JB) build . --builder pdflatex --quiet; \
		mkdir -p $(PDF_DIR); rm -f $(PDF_DIR)/.handbook-sources; \
		cp _build/latex/handbook.pdf _build/latex/handout-*.pdf $(PDF_DIR)/; \
		cp _build/latex/.handbook-sources $(PDF_DIR)/; }

test: book
	$(BIN)/python -m pytest

# The stock book the benchmark compares against needs matplotlib, which the handbook does not: it gets
# an environment of its own, the same lock plus matplotlib, so that .venv stays exactly the lock. Under
# _build/, which nothing reads as a source (and hidden there: the table of contents globs _build/ for
# pages), and which `make clean` removes with the other build products.
BENCH_VENV := _build/.bench-venv
$(BENCH_VENV)/bin/.installed: $(LOCK) benchmarks/requirements.txt | prerequisites
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --no-deps -r $(LOCK)
	$(BENCH_VENV)/bin/pip install --quiet -r benchmarks/requirements.txt
	$(BENCH_VENV)/bin/pip check
	touch $@

bench: $(BIN)/.installed $(BENCH_VENV)/bin/.installed node_modules/.installed
	$(BIN)/python benchmarks/run.py --peer-venv $(BENCH_VENV)

# The originals of the briefs sit beside the project, not beside its mutated copy in mutants/. Tests that
# run `python -m handbook` in a subprocess import the unmutated package, so they cannot kill a mutant.
# mutants/ is kept between runs: a run tests only the mutants not yet tested (and those of functions
# that changed), picks up new tests, and `MUTANTS='handbook.positions*'` (fnmatch patterns, quoted here
# so the shell leaves them alone) retests the ones it names. MUTATE_FRESH=1 starts again from nothing.
# MUTATE_SAMPLE=500 runs a random sample of all of them instead (seed: MUTATE_SEED, default 1), to estimate
# the package's score in about an hour rather than many.
mutate: $(BIN)/.installed
	$(if $(MUTATE_FRESH),rm -rf mutants)
	HANDBOOK_ORIGINALS=$${HANDBOOK_ORIGINALS:-$(CURDIR)/../shared/seeds} \
		nice -n 19 $(if $(MUTATE_SAMPLE),$(BIN)/python benchmarks/mutation_sample.py $(MUTATE_SAMPLE),\
		$(BIN)/mutmut run --max-children $${MUTATE_JOBS:-2} $(foreach pattern,$(MUTANTS),'$(pattern)'))
	$(BIN)/python benchmarks/mutation_table.py

debian-check:
	.ci/debian-check

clean:
	rm -rf _build
